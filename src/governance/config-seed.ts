import type { GatewayConfig } from '../config/load-config.js';
import type { ConfigSeed } from '../store/governance/governance-store.js';
import type { AccessLists } from './entities.js';
import type { CustomerInput, ProviderLimitInput, TeamInput, VirtualKeyInput } from './governance-schema.js';
import { hashVirtualKey, virtualKeyHint } from './virtual-key-secret.js';

function access(input: AccessLists): AccessLists {
  const lists: AccessLists = {};
  if (input.models !== undefined) lists.models = input.models;
  if (input.denyModels !== undefined) lists.denyModels = input.denyModels;
  if (input.providers !== undefined) lists.providers = input.providers;
  if (input.denyProviders !== undefined) lists.denyProviders = input.denyProviders;
  return lists;
}

function limits(input: {
  budget?: ProviderLimitInput['budget'];
  rateLimit?: ProviderLimitInput['rateLimit'];
}) {
  return { budget: input.budget ?? [], rateLimit: input.rateLimit ?? [] };
}

/*
 * Config objects → stored records. The same functions build API-created objects, so a key is
 * the same record whichever way it was declared.
 */

export function customerRecord(input: CustomerInput, source: 'config' | 'api', now: string, id: string) {
  return {
    id,
    name: input.name,
    source,
    ...access(input),
    ...limits(input),
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  };
}

export function teamRecord(input: TeamInput, source: 'config' | 'api', now: string, id: string) {
  return {
    id,
    name: input.name,
    ...(input.customer === undefined ? {} : { customerId: input.customer }),
    source,
    ...access(input),
    ...limits(input),
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  };
}

export function virtualKeyRecord(
  input: VirtualKeyInput & { value: string },
  source: 'config' | 'api',
  now: string,
  id: string,
) {
  return {
    id,
    name: input.name,
    keyHash: hashVirtualKey(input.value),
    keyHint: virtualKeyHint(input.value),
    ...(input.team === undefined ? {} : { teamId: input.team }),
    ...(input.customer === undefined ? {} : { customerId: input.customer }),
    ...(input.expiresAt === undefined ? {} : { expiresAt: new Date(input.expiresAt).toISOString() }),
    active: input.active,
    source,
    ...access(input),
    ...limits(input),
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  };
}

/** Everything the config file declares, as records with source "config" (ids default to names). */
export function seedFromConfig(config: GatewayConfig, now = new Date().toISOString()): ConfigSeed {
  return {
    customers: config.customers.map((customer) =>
      customerRecord(customer, 'config', now, customer.id ?? customer.name),
    ),
    teams: config.teams.map((team) => teamRecord(team, 'config', now, team.id ?? team.name)),
    virtualKeys: config.virtualKeys.map((key) =>
      virtualKeyRecord({ ...key, value: key.value! }, 'config', now, key.id ?? key.name),
    ),
    providerLimits: Object.entries(config.governance.providerLimits).map(([provider, input]) => ({
      provider,
      source: 'config' as const,
      ...limits(input),
      createdAt: now,
      updatedAt: now,
    })),
  };
}
