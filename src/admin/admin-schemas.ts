import { z } from 'zod';
import {
  budgetSchema,
  entityId,
  isoTime,
  metadata,
  oneOrMany,
  patterns,
  rateLimitSchema,
} from '../governance/governance-schema.js';

/*
 * Admin API bodies. Creation takes the config file's shapes (governance-schema.ts); updates
 * (PATCH) take any subset of the same fields, and null clears an optional field.
 */

const accessPatch = {
  models: patterns.nullable().optional(),
  denyModels: patterns.nullable().optional(),
  providers: patterns.nullable().optional(),
  denyProviders: patterns.nullable().optional(),
};

const limitsPatch = {
  budget: oneOrMany(budgetSchema).optional(),
  rateLimit: oneOrMany(rateLimitSchema).optional(),
};

const name = z.string().min(1).max(200);

export const customerPatchSchema = z.strictObject({
  name: name.optional(),
  ...accessPatch,
  ...limitsPatch,
  metadata: metadata.optional(),
});

export const teamPatchSchema = z.strictObject({
  name: name.optional(),
  customer: entityId.nullable().optional(),
  ...accessPatch,
  ...limitsPatch,
  metadata: metadata.optional(),
});

export const virtualKeyPatchSchema = z.strictObject({
  name: name.optional(),
  team: entityId.nullable().optional(),
  customer: entityId.nullable().optional(),
  ...accessPatch,
  ...limitsPatch,
  expiresAt: isoTime.nullable().optional(),
  active: z.boolean().optional(),
  metadata: metadata.optional(),
});

export const budgetsBodySchema = oneOrMany(budgetSchema);
export const rateLimitsBodySchema = oneOrMany(rateLimitSchema);

/** A provider as the config file declares one, plus its id; fields are checked per type. */
export const providerCreateSchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'provider ids use letters, digits, ".", "_" and "-"'),
});
/** Provider fields to change (not keys: those have their own routes). */
export const providerPatchSchema = z.record(z.string(), z.unknown());
/** A provider key as the config file declares one (name required, value write-only). */
export const providerKeySchema = z.looseObject({
  name: z.string().min(1).max(200),
  value: z.string().min(1).optional(),
});
export const providerKeyPatchSchema = z.record(z.string(), z.unknown());
