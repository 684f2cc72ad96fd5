import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadCatalogFile } from '../catalog/load-catalog-file.js';
import type { ProviderSettings } from '../providers/provider-settings.js';
import { providersFromEnvironment } from './env-providers.js';
import { formatPath, resolveEnvReferences, type ConfigIssue } from './resolve-env-references.js';
import { topLevelSchema, type TopLevelConfig } from './schema.js';
import { validateProvider } from './validate-providers.js';
import { validateRouting } from '../router/validate-routing.js';

export interface GatewayConfig extends Omit<TopLevelConfig, 'providers'> {
  providers: ProviderSettings[];
  /** The file the config came from, if any. */
  file?: string;
  /** Providers were taken from environment variables (no file, or a file without providers). */
  providersFromEnv: boolean;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[], file?: string) {
    super(
      `Invalid configuration${file ? ` in ${file}` : ''}:\n` +
        issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface ConfigOverrides {
  host?: string;
  port?: number;
  dataDir?: string;
}

export interface LoadConfigOptions {
  file?: string;
  env?: Readonly<Record<string, string | undefined>>;
  overrides?: ConfigOverrides;
}

const DEFAULT_FILES = ['switchyard.yaml', 'switchyard.yml', 'switchyard.json'];

/** Find the config file: explicit path, SWITCHYARD_CONFIG, or switchyard.{yaml,yml,json} here. */
export function findConfigFile(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (explicit !== undefined) return explicit;
  if (env.SWITCHYARD_CONFIG) return env.SWITCHYARD_CONFIG;
  return DEFAULT_FILES.find((name) => existsSync(name));
}

/** Read and parse a YAML or JSON file (YAML is a superset of JSON). */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '(file)', message: `cannot read ${file}: ${(error as Error).message}` }], file);
  }
  try {
    return parseYaml(text, { prettyErrors: true }) ?? {};
  } catch (error) {
    throw new ConfigError(
      [{ path: '(file)', message: `${path.extname(file) === '.json' ? 'JSON' : 'YAML'} syntax error: ${(error as Error).message}` }],
      file,
    );
  }
}

/** Validate a parsed config document; every problem is collected, none stops the others. */
export function validateConfig(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
  file?: string,
): { config?: GatewayConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { issues: [{ path: '(root)', message: 'the config must be an object' }] };
  }
  const resolved = resolveEnvReferences(raw, env, issues) as Record<string, unknown>;
  const fromEnv = resolved.providers === undefined;
  if (fromEnv) resolved.providers = providersFromEnvironment(env);
  const result = topLevelSchema.safeParse(resolved);
  if (!result.success) {
    for (const issue of result.error.issues) {
      issues.push({ path: formatPath(issue.path as Array<string | number>), message: issue.message });
    }
  }
  if (result.success) {
    // Catalog files are relative to the config file; each is validated like the config itself.
    const baseDir = file === undefined ? process.cwd() : path.dirname(path.resolve(file));
    result.data.catalog.files = result.data.catalog.files.map((catalogFile) => path.resolve(baseDir, catalogFile));
    result.data.catalog.files.forEach((catalogFile, index) => {
      for (const issue of loadCatalogFile(catalogFile).issues) {
        issues.push({ path: `catalog.files[${index}]`, message: `${catalogFile}: ${issue.path}: ${issue.message}` });
      }
    });
  }
  // Provider entries are checked even when the rest is broken, so every problem is reported at once.
  const providers: ProviderSettings[] = [];
  const entries = typeof resolved.providers === 'object' && resolved.providers !== null && !Array.isArray(resolved.providers) ? Object.entries(resolved.providers) : [];
  for (const [id, entry] of entries) {
    const settings = validateProvider(id, entry, issues);
    if (settings !== undefined) providers.push(settings);
  }
  if (result.success && issues.length === 0) validateRouting(result.data.routing, providers, issues);
  if (!result.success || issues.length > 0) return { issues };
  return {
    config: { ...result.data, providers, providersFromEnv: fromEnv, ...(file === undefined ? {} : { file }) },
    issues,
  };
}

/** Load the gateway config from a file (or the environment), apply overrides, or throw ConfigError. */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const file = findConfigFile(options.file, env);
  const raw = file === undefined ? {} : readConfigFile(file);
  const { config, issues } = validateConfig(raw, env, file);
  if (config === undefined) throw new ConfigError(issues, file);
  const overrides = options.overrides ?? {};
  const envPort = env.PORT === undefined || env.PORT === '' ? undefined : Number(env.PORT);
  if (envPort !== undefined && !(Number.isInteger(envPort) && envPort >= 0 && envPort <= 65535)) {
    throw new ConfigError([{ path: 'PORT', message: `"${env.PORT}" is not a port number` }], file);
  }
  config.server.port = overrides.port ?? envPort ?? config.server.port;
  config.server.host = overrides.host ?? (env.HOST || undefined) ?? config.server.host;
  config.dataDir = overrides.dataDir ?? config.dataDir;
  return config;
}
