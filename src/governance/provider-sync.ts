import type { Logger } from 'pino';
import { validateProvider } from '../config/validate-providers.js';
import type { ConfigIssue } from '../config/resolve-env-references.js';
import { isRecord, parseJson } from '../json/parse-json.js';
import type { Provider } from '../providers/provider.js';
import { getProviderDefinition } from '../providers/registry.js';
import type { SecretBox } from '../store/secret-box.js';
import type { GovernanceData, StoredProviderKeyRecord, StoredProviderRecord } from './entities.js';

/*
 * Providers created through the admin API. Their settings and every key (the API key and any
 * type-specific key fields, e.g. AWS secrets) are sealed with AES-256-GCM before they reach the
 * store; only the type, key names, weights, model patterns and a 4-character hint stay in clear.
 */

export function providerContext(providerId: string): string {
  return `provider:${providerId}`;
}

export function providerKeyContext(providerId: string, keyName: string): string {
  return `provider-key:${providerId}:${keyName}`;
}

/** Key fields kept in clear (shown by the API). */
export const CLEAR_KEY_FIELDS = ['weight', 'models'] as const;

export function sealProviderSettings(
  box: SecretBox,
  providerId: string,
  settings: Record<string, unknown>,
): Record<string, unknown> {
  return { sealed: box.encrypt(JSON.stringify(settings), providerContext(providerId)) };
}

export function openProviderSettings(
  box: SecretBox | undefined,
  record: StoredProviderRecord,
): Record<string, unknown> {
  const sealed = record.settings.sealed;
  if (typeof sealed !== 'string') return record.settings;
  if (box === undefined)
    throw new Error('the provider is encrypted but SWITCHYARD_ENCRYPTION_KEY is not set');
  const opened = parseJson(box.decrypt(sealed, providerContext(record.id)), 'stored provider');
  if (!isRecord(opened)) throw new Error('stored provider settings are not an object');
  return opened;
}

/** The key fields that are secret: everything but name and the clear fields. */
export function sealProviderKey(
  box: SecretBox,
  providerId: string,
  name: string,
  body: Record<string, unknown>,
): string | undefined {
  const secret: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    if (field === 'name' || (CLEAR_KEY_FIELDS as readonly string[]).includes(field) || value === undefined)
      continue;
    secret[field] = value;
  }
  return Object.keys(secret).length === 0
    ? undefined
    : box.encrypt(JSON.stringify(secret), providerKeyContext(providerId, name));
}

export function openProviderKey(
  box: SecretBox | undefined,
  key: StoredProviderKeyRecord,
): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...key.settings, name: key.name };
  if (key.secret === undefined) return entry;
  if (box === undefined)
    throw new Error(`key "${key.name}" is encrypted but SWITCHYARD_ENCRYPTION_KEY is not set`);
  const opened = parseJson(
    box.decrypt(key.secret, providerKeyContext(key.providerId, key.name)),
    'stored provider key',
  );
  if (!isRecord(opened)) throw new Error(`key "${key.name}" is not an object`);
  return { ...entry, ...opened };
}

/** A provider entry in config-file shape, secrets opened (in memory only). */
export function providerEntry(
  box: SecretBox | undefined,
  stored: StoredProviderRecord,
  keys: readonly StoredProviderKeyRecord[],
  problems: string[],
): Record<string, unknown> {
  const entryKeys: Array<Record<string, unknown>> = [];
  for (const key of keys) {
    try {
      entryKeys.push(openProviderKey(box, key));
    } catch (error) {
      problems.push(`key "${key.name}": ${(error as Error).message}`);
    }
  }
  return { ...openProviderSettings(box, stored), type: stored.type, keys: entryKeys };
}

/**
 * Providers from the config store, built like config-file providers (same validation, same
 * provider definitions). One that cannot be built (a key that cannot be decrypted, a bad entry)
 * is left out and logged; it never stops the gateway.
 */
export function buildStoredProviders(
  data: GovernanceData,
  box: SecretBox | undefined,
  logger: Logger,
): Provider[] {
  const providers: Provider[] = [];
  for (const stored of data.providers) {
    const problems: string[] = [];
    let entry: Record<string, unknown>;
    try {
      entry = providerEntry(
        box,
        stored,
        data.providerKeys.filter((key) => key.providerId === stored.id),
        problems,
      );
    } catch (error) {
      logger.error(
        { provider: stored.id, problem: (error as Error).message },
        'a provider from the config store cannot be used',
      );
      continue;
    }
    const issues: ConfigIssue[] = [];
    const settings = validateProvider(stored.id, entry, issues);
    const definition = getProviderDefinition(stored.type);
    if (settings === undefined || definition === undefined || issues.length > 0) {
      problems.push(...issues.map((issue) => `${issue.path}: ${issue.message}`));
      logger.error({ provider: stored.id, problems }, 'a provider from the config store cannot be used');
      continue;
    }
    if (problems.length > 0)
      logger.error(
        { provider: stored.id, problems },
        'some keys of a provider from the config store cannot be used',
      );
    providers.push(definition.create(settings));
  }
  return providers;
}
