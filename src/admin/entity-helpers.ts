import { randomBytes } from 'node:crypto';
import type { GovernanceService } from '../governance/governance-service.js';
import { badRequest, conflict } from './admin-http.js';

/** A new object id: a prefix and 64 random bits ("vk_3f9a…"). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/** Objects from the config file are changed by editing the file. */
export function assertWritable(record: { source: string }, what: string): void {
  if (record.source === 'config') {
    throw conflict(
      `${what} is declared in the config file and is read-only through the API; change the file and restart (see docs/governance.md).`,
    );
  }
}

export function checkReferences(
  service: GovernanceService,
  references: { team?: string | null; customer?: string | null },
): void {
  const state = service.state;
  if (references.team !== undefined && references.team !== null && !state.teams.has(references.team)) {
    throw badRequest(`There is no team "${references.team}".`, 'team');
  }
  if (
    references.customer !== undefined &&
    references.customer !== null &&
    !state.customers.has(references.customer)
  ) {
    throw badRequest(`There is no customer "${references.customer}".`, 'customer');
  }
}

/**
 * Apply a PATCH body to a record: absent fields stay, null removes an optional field, other
 * values replace. `renames` maps API names to record fields (team → teamId).
 */
export function applyPatch<T extends object>(
  record: T,
  patch: Record<string, unknown>,
  renames: Record<string, string> = {},
): T {
  const next = { ...record } as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const target = renames[field] ?? field;
    if (value === null) delete next[target];
    else next[target] = value;
  }
  next.updatedAt = new Date().toISOString();
  return next as T;
}
