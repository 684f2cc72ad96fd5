import type { AccessLists, CustomerRecord, TeamRecord, VirtualKeyRecord } from '../governance/entities.js';

/*
 * What the admin API returns for governance objects: the config file's field names, plus
 * source and timestamps. A virtual key shows its hint, never its secret or hash.
 */

function access(lists: AccessLists): AccessLists {
  return {
    ...(lists.models === undefined ? {} : { models: lists.models }),
    ...(lists.denyModels === undefined ? {} : { denyModels: lists.denyModels }),
    ...(lists.providers === undefined ? {} : { providers: lists.providers }),
    ...(lists.denyProviders === undefined ? {} : { denyProviders: lists.denyProviders }),
  };
}

export function customerView(customer: CustomerRecord): Record<string, unknown> {
  return {
    id: customer.id,
    name: customer.name,
    ...access(customer),
    budget: customer.budget,
    rateLimit: customer.rateLimit,
    metadata: customer.metadata,
    source: customer.source,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

export function teamView(team: TeamRecord): Record<string, unknown> {
  return {
    id: team.id,
    name: team.name,
    customer: team.customerId ?? null,
    ...access(team),
    budget: team.budget,
    rateLimit: team.rateLimit,
    metadata: team.metadata,
    source: team.source,
    createdAt: team.createdAt,
    updatedAt: team.updatedAt,
  };
}

export function virtualKeyView(key: VirtualKeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    name: key.name,
    keyHint: key.keyHint,
    team: key.teamId ?? null,
    customer: key.customerId ?? null,
    ...access(key),
    budget: key.budget,
    rateLimit: key.rateLimit,
    expiresAt: key.expiresAt ?? null,
    active: key.active,
    metadata: key.metadata,
    source: key.source,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
  };
}
