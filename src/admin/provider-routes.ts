import type { ConfigIssue } from '../config/resolve-env-references.js';
import { validateProvider } from '../config/validate-providers.js';
import type { StoredProviderKeyRecord, StoredProviderRecord } from '../governance/entities.js';
import type { GovernanceService } from '../governance/governance-service.js';
import {
  CLEAR_KEY_FIELDS,
  openProviderKey,
  openProviderSettings,
  sealProviderKey,
  sealProviderSettings,
} from '../governance/provider-sync.js';
import type { Provider } from '../providers/provider.js';
import type { ProviderKey } from '../providers/provider-settings.js';
import type { RouteTable } from '../server/route-table.js';
import type { SecretBox } from '../store/secret-box.js';
import { adminRoute, badRequest, conflict, notFound } from './admin-http.js';
import {
  providerCreateSchema,
  providerKeyPatchSchema,
  providerKeySchema,
  providerPatchSchema,
} from './admin-schemas.js';

function hint(value: unknown): string | undefined {
  return typeof value === 'string' && value.length >= 8 ? `…${value.slice(-4)}` : undefined;
}

function keyView(key: ProviderKey, source: 'config' | 'api', storedHint?: string): Record<string, unknown> {
  const shown = storedHint ?? hint(key.value);
  return {
    name: key.name,
    weight: key.weight,
    models: key.models ?? null,
    ...(shown === undefined ? {} : { hint: shown }),
    source,
  };
}

/** Header names are shown, values never (they often carry credentials). */
function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, '[redacted]']));
}

function providerView(
  provider: Provider,
  source: 'config' | 'api',
  keys: readonly StoredProviderKeyRecord[],
): Record<string, unknown> {
  const settings = provider.settings;
  return {
    id: provider.id,
    type: provider.type,
    source,
    baseUrl: settings.baseUrl,
    models: settings.models,
    passthrough: settings.passthrough,
    headers: maskHeaders(settings.headers),
    keys: settings.keys.map((key) =>
      keyView(key, source, keys.find((stored) => stored.name === key.name)?.hint),
    ),
  };
}

function requireBox(service: GovernanceService): SecretBox {
  if (service.secretBox === undefined) {
    throw badRequest(
      'Providers and provider keys are stored encrypted: set SWITCHYARD_ENCRYPTION_KEY (32 random bytes as 64 hex characters) and restart.',
    );
  }
  return service.secretBox;
}

/** Validate a provider entry exactly as the config file's; issues become one 400. */
function validate(id: string, entry: Record<string, unknown>): void {
  const issues: ConfigIssue[] = [];
  validateProvider(id, entry, issues);
  if (issues.length > 0)
    throw badRequest(
      `Invalid provider: ${issues.map((issue) => `${issue.path.replace(`providers.${id}.`, '')}: ${issue.message}`).join('; ')}`,
    );
}

function stampedKey(
  box: SecretBox,
  providerId: string,
  body: Record<string, unknown>,
  now: string,
  createdAt = now,
): StoredProviderKeyRecord {
  const name = String(body.name);
  const secret = sealProviderKey(box, providerId, name, body);
  const clear: Record<string, unknown> = {};
  for (const field of CLEAR_KEY_FIELDS) if (body[field] !== undefined) clear[field] = body[field];
  const shown = hint(body.value);
  return {
    providerId,
    name,
    ...(secret === undefined ? {} : { secret }),
    ...(shown === undefined ? {} : { hint: shown }),
    settings: clear,
    createdAt,
    updatedAt: now,
  };
}

/**
 * /api/providers and /api/providers/{id}/keys. Providers from the config file are listed and
 * read-only; providers created here are stored encrypted and routed to at once, on every
 * instance. Key values are write-only: answers show a 4-character hint.
 */
export function registerProviderRoutes(routes: RouteTable, service: GovernanceService): void {
  const storedProvider = (id: string): StoredProviderRecord | undefined =>
    service.state.data.providers.find((provider) => provider.id === id);
  const storedKeys = (id: string): StoredProviderKeyRecord[] =>
    service.state.data.providerKeys.filter((key) => key.providerId === id);
  const fromFile = (id: string): boolean => service.fileProviders.some((provider) => provider.id === id);

  const describe = (provider: Provider): Record<string, unknown> =>
    providerView(
      provider,
      fromFile(provider.id) ? 'config' : 'api',
      fromFile(provider.id) ? [] : storedKeys(provider.id),
    );

  const findApiProvider = (id: string): StoredProviderRecord => {
    if (fromFile(id))
      throw conflict(
        `The provider "${id}" is declared in the config file and is read-only through the API; change the file and restart.`,
      );
    const stored = storedProvider(id);
    if (stored === undefined) throw notFound(`The provider "${id}"`);
    return stored;
  };

  /** The provider as routing uses it; a stored one that failed to build is reported as such. */
  const live = (id: string): Provider => {
    const provider = service.runtime.providers.get(id);
    if (provider !== undefined) return provider;
    if (storedProvider(id) !== undefined)
      throw conflict(
        `The provider "${id}" is stored but cannot be built (see the gateway log: a key that cannot be decrypted, or an invalid entry).`,
      );
    throw notFound(`The provider "${id}"`);
  };

  adminRoute(routes, 'GET', '/api/providers', () => ({
    body: { data: service.runtime.providers.list().map(describe) },
  }));

  adminRoute(routes, 'POST', '/api/providers', async (request) => {
    const body = await request.body(providerCreateSchema);
    const box = requireBox(service);
    const { id, keys: rawKeys, ...rest } = body as Record<string, unknown> & { id: string };
    if (service.runtime.providers.get(id) !== undefined || storedProvider(id) !== undefined)
      throw conflict(`A provider "${id}" exists.`);
    const keys = Array.isArray(rawKeys) ? (rawKeys as Array<Record<string, unknown>>) : [];
    if (rawKeys !== undefined && !Array.isArray(rawKeys)) throw badRequest('keys must be a list', 'keys');
    keys.forEach((key, index) => {
      if (typeof key?.name !== 'string' || key.name === '')
        throw badRequest('every key needs a name', `keys.${index}.name`);
    });
    validate(id, { ...rest, keys });
    const type = typeof rest.type === 'string' ? rest.type : id;
    const { type: _type, ...settings } = rest;
    const now = new Date().toISOString();
    await service.store.put('provider', {
      id,
      type,
      source: 'api',
      settings: sealProviderSettings(box, id, settings),
      createdAt: now,
      updatedAt: now,
    });
    for (const key of keys) await service.store.put('provider-key', stampedKey(box, id, key, now));
    await service.reload();
    return { status: 201, body: describe(live(id)) };
  });

  adminRoute(routes, 'GET', '/api/providers/:id', (request) => ({
    body: describe(live(request.params.id!)),
  }));

  adminRoute(routes, 'PATCH', '/api/providers/:id', async (request) => {
    const stored = findApiProvider(request.params.id!);
    const box = requireBox(service);
    const patch = await request.body(providerPatchSchema);
    for (const field of ['id', 'type', 'keys'])
      if (field in patch)
        throw badRequest(`${field} cannot be changed here${field === 'keys' ? ' (use /keys)' : ''}`, field);
    const settings = { ...openProviderSettings(box, stored) };
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) delete settings[field];
      else settings[field] = value;
    }
    validate(stored.id, {
      ...settings,
      type: stored.type,
      keys: storedKeys(stored.id).map((key) => openProviderKey(box, key)),
    });
    await service.put('provider', {
      ...stored,
      settings: sealProviderSettings(box, stored.id, settings),
      updatedAt: new Date().toISOString(),
    });
    return { body: describe(live(stored.id)) };
  });

  adminRoute(routes, 'DELETE', '/api/providers/:id', async (request) => {
    const stored = findApiProvider(request.params.id!);
    await service.remove('provider', [stored.id]);
    return { body: { id: stored.id, deleted: true } };
  });

  adminRoute(routes, 'GET', '/api/providers/:id/keys', (request) => {
    const provider = live(request.params.id!);
    return { body: { data: (describe(provider).keys as unknown[]) ?? [] } };
  });

  adminRoute(routes, 'POST', '/api/providers/:id/keys', async (request) => {
    const stored = findApiProvider(request.params.id!);
    const box = requireBox(service);
    const body = await request.body(providerKeySchema);
    const existing = storedKeys(stored.id);
    if (existing.some((key) => key.name === body.name))
      throw conflict(`The provider "${stored.id}" already has a key "${body.name}".`);
    validate(stored.id, {
      ...openProviderSettings(box, stored),
      type: stored.type,
      keys: [...existing.map((key) => openProviderKey(box, key)), body],
    });
    await service.put('provider-key', stampedKey(box, stored.id, body, new Date().toISOString()));
    return { status: 201, body: describe(live(stored.id)).keys };
  });

  adminRoute(routes, 'PATCH', '/api/providers/:id/keys/:name', async (request) => {
    const stored = findApiProvider(request.params.id!);
    const box = requireBox(service);
    const key = storedKeys(stored.id).find((candidate) => candidate.name === request.params.name);
    if (key === undefined) throw notFound(`The key "${request.params.name}" of provider "${stored.id}"`);
    const patch = await request.body(providerKeyPatchSchema);
    if ('name' in patch && patch.name !== key.name)
      throw badRequest('a key cannot be renamed; add a new one and delete this one', 'name');
    const body: Record<string, unknown> = openProviderKey(box, key);
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) delete body[field];
      else body[field] = value;
    }
    validate(stored.id, {
      ...openProviderSettings(box, stored),
      type: stored.type,
      keys: storedKeys(stored.id).map((candidate) =>
        candidate.name === key.name ? body : openProviderKey(box, candidate),
      ),
    });
    await service.put(
      'provider-key',
      stampedKey(box, stored.id, body, new Date().toISOString(), key.createdAt),
    );
    return { body: describe(live(stored.id)).keys };
  });

  adminRoute(routes, 'DELETE', '/api/providers/:id/keys/:name', async (request) => {
    const stored = findApiProvider(request.params.id!);
    const key = storedKeys(stored.id).find((candidate) => candidate.name === request.params.name);
    if (key === undefined) throw notFound(`The key "${request.params.name}" of provider "${stored.id}"`);
    await service.remove('provider-key', [stored.id, key.name]);
    return { body: { provider: stored.id, name: key.name, deleted: true } };
  });
}
