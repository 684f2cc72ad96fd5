import { z, type ZodType } from 'zod';
import type { ProviderDefinition } from '../providers/provider.js';
import type { ProviderKey, ProviderSettings } from '../providers/provider-settings.js';
import { getProviderDefinition, listProviderDefinitions } from '../providers/registry.js';
import { DEFAULT_TIMEOUTS, splitBaseUrl } from '../transport/upstream-request.js';
import { formatPath, type ConfigIssue } from './resolve-env-references.js';
import { duration } from './schema.js';

function keySchema(definition: ProviderDefinition) {
  return z.strictObject({
    name: z.string().min(1).optional(),
    value: z.string().min(1).optional(),
    weight: z.number().min(0).default(1),
    models: z.array(z.string().min(1)).optional(),
    /** Model name patterns this key must never serve (wins over `models`). */
    denyModels: z.array(z.string().min(1)).optional(),
    ...(definition.keyFields ?? {}),
  });
}

function providerSchema(definition: ProviderDefinition) {
  return z.strictObject({
    type: z.string().optional(),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeouts: z
      .strictObject({
        connect: duration.optional(),
        /** Time to the response headers (the first byte of a stream). */
        firstByte: duration.optional(),
        /** Longest silence between body chunks. */
        idle: duration.optional(),
        /** Time to the first content event of a stream; past it the attempt fails over (before commit). */
        firstToken: duration.optional(),
      })
      .optional(),
    /** Retries of failed attempts (docs/routing.md). */
    retry: z
      .strictObject({
        /** Retries after the first attempt, within a route's targets. */
        attempts: z.number().int().min(0).max(10).optional(),
        initialDelay: duration.optional(),
        maxDelay: duration.optional(),
        multiplier: z.number().min(1).optional(),
        /** A retry-after longer than this is not waited for: the request moves on instead. */
        maxRetryAfter: duration.optional(),
      })
      .optional(),
    /** Circuit breaking / outlier ejection of this provider, its keys and its models. */
    circuitBreaker: z
      .strictObject({
        enabled: z.boolean().optional(),
        consecutiveFailures: z.number().int().min(1).optional(),
        failureRate: z.number().gt(0).max(1).optional(),
        minRequests: z.number().int().min(1).optional(),
        window: duration.optional(),
        ejectFor: duration.optional(),
        maxEjectFor: duration.optional(),
        halfOpenProbes: z.number().int().min(1).optional(),
      })
      .optional(),
    /** Isolation: attempts in flight to this provider, and a bounded queue beyond them. */
    concurrency: z
      .strictObject({
        maxInFlight: z.number().int().min(1).optional(),
        queue: z.number().int().min(0).optional(),
        queueTimeout: duration.optional(),
      })
      .optional(),
    keys: z.array(keySchema(definition)).optional(),
    models: z.array(z.string().min(1)).optional(),
    passthrough: z.boolean().optional(),
    maxConnections: z.number().int().positive().optional(),
    ...(definition.configFields ?? {}),
  });
}

const COMMON_FIELDS = new Set([
  'type',
  'baseUrl',
  'headers',
  'timeouts',
  'keys',
  'models',
  'passthrough',
  'maxConnections',
  'retry',
  'circuitBreaker',
  'concurrency',
]);
const COMMON_KEY_FIELDS = new Set(['name', 'value', 'weight', 'models', 'denyModels']);

const schemaCache = new Map<string, ZodType>();

function schemaFor(definition: ProviderDefinition): ZodType {
  let schema = schemaCache.get(definition.type);
  if (schema === undefined) {
    schema = providerSchema(definition);
    schemaCache.set(definition.type, schema);
  }
  return schema;
}

function pick(source: Record<string, unknown>, exclude: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (!exclude.has(key) && value !== undefined) out[key] = value;
  return out;
}

/** Validate one provider entry and turn it into ProviderSettings. Issues are appended. */
export function validateProvider(id: string, raw: unknown, issues: ConfigIssue[]): ProviderSettings | undefined {
  const base = ['providers', id];
  const entry = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    issues.push({ path: formatPath(base), message: 'expected an object' });
    return undefined;
  }
  const declaredType = typeof entry.type === 'string' ? entry.type : undefined;
  const type = declaredType ?? id;
  const definition = getProviderDefinition(type);
  if (definition === undefined) {
    const known = listProviderDefinitions()
      .map((d) => d.type)
      .join(', ');
    issues.push(
      declaredType === undefined
        ? {
            path: formatPath([...base, 'type']),
            message: `"${id}" is not a built-in provider, so "type" is required (one of: ${known})`,
          }
        : { path: formatPath([...base, 'type']), message: `unknown provider type "${type}" (known: ${known})` },
    );
    return undefined;
  }
  const result = schemaFor(definition).safeParse(entry);
  if (!result.success) {
    for (const issue of result.error.issues) {
      issues.push({ path: formatPath([...base, ...(issue.path as Array<string | number>)]), message: issue.message });
    }
    return undefined;
  }
  const parsed = result.data as Record<string, unknown> & {
    baseUrl?: string;
    headers?: Record<string, string>;
    timeouts?: { connect?: number; firstByte?: number; idle?: number; firstToken?: number };
    keys?: Array<Record<string, unknown> & { name?: string; value?: string; weight: number; models?: string[]; denyModels?: string[] }>;
    models?: string[];
    passthrough?: boolean;
    maxConnections?: number;
    retry?: ProviderSettings['retry'];
    circuitBreaker?: ProviderSettings['circuitBreaker'];
    concurrency?: ProviderSettings['concurrency'];
  };
  const baseUrl = parsed.baseUrl ?? definition.defaultBaseUrl;
  if (baseUrl === undefined) {
    issues.push({ path: formatPath([...base, 'baseUrl']), message: `required for provider type "${type}"` });
    return undefined;
  }
  const keys: ProviderKey[] = [];
  const names = new Set<string>();
  (parsed.keys ?? []).forEach((key, index) => {
    const name = key.name ?? `${id}-key-${index + 1}`;
    if (names.has(name)) {
      issues.push({ path: formatPath([...base, 'keys', index, 'name']), message: `duplicate key name "${name}"` });
    }
    names.add(name);
    if (definition.requiresKey && key.value === undefined) {
      issues.push({ path: formatPath([...base, 'keys', index, 'value']), message: 'required' });
    }
    keys.push({
      name,
      ...(key.value === undefined ? {} : { value: key.value }),
      weight: key.weight,
      ...(key.models === undefined ? {} : { models: key.models }),
      ...(key.denyModels === undefined ? {} : { denyModels: key.denyModels }),
      options: pick(key, COMMON_KEY_FIELDS),
    });
  });
  if (definition.requiresKey && keys.length === 0) {
    issues.push({ path: formatPath([...base, 'keys']), message: `provider type "${type}" needs at least one key` });
  }
  const { origin, basePath } = splitBaseUrl(baseUrl);
  const settings: ProviderSettings = {
    id,
    type,
    baseUrl,
    origin,
    basePath,
    headers: parsed.headers ?? {},
    timeouts: {
      connectMs: parsed.timeouts?.connect ?? DEFAULT_TIMEOUTS.connectMs,
      headersMs: parsed.timeouts?.firstByte ?? DEFAULT_TIMEOUTS.headersMs,
      idleMs: parsed.timeouts?.idle ?? DEFAULT_TIMEOUTS.idleMs,
      ...(parsed.timeouts?.firstToken === undefined ? {} : { firstTokenMs: parsed.timeouts.firstToken }),
    },
    keys,
    models: parsed.models ?? [],
    passthrough: parsed.passthrough ?? true,
    ...(parsed.maxConnections === undefined ? {} : { maxConnections: parsed.maxConnections }),
    ...(parsed.retry === undefined ? {} : { retry: parsed.retry }),
    ...(parsed.circuitBreaker === undefined ? {} : { circuitBreaker: parsed.circuitBreaker }),
    ...(parsed.concurrency === undefined ? {} : { concurrency: parsed.concurrency }),
    options: pick(parsed, COMMON_FIELDS),
  };
  // Checks a provider can only make once its fields are combined (Vertex needs a service
  // account or tokens, ...) are config errors too: `validate` reports them, start never throws.
  try {
    definition.create(settings);
  } catch (error) {
    issues.push({ path: formatPath(base), message: error instanceof Error ? error.message : String(error) });
    return undefined;
  }
  return settings;
}
