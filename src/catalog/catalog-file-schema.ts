import { z } from 'zod';

/*
 * The shape of a catalog file (catalog/models.json and users' catalog.files). Strict: a
 * misspelt field is an error naming it, so a price never silently falls back to another.
 */

const price = z.number().min(0);

const rates = {
  input: price,
  output: price,
  cacheRead: price.optional(),
  cacheWrite: price.optional(),
  cacheWrite1h: price.optional(),
  reasoning: price.optional(),
};

const tierSchema = z.strictObject({
  aboveInputTokens: z.number().int().positive(),
  input: price.optional(),
  output: price.optional(),
  cacheRead: price.optional(),
  cacheWrite: price.optional(),
  cacheWrite1h: price.optional(),
  reasoning: price.optional(),
});

export const pricingSchema = z.strictObject({
  ...rates,
  tiers: z
    .array(tierSchema)
    .refine((tiers) => tiers.every((tier, index) => index === 0 || tier.aboveInputTokens > tiers[index - 1]!.aboveInputTokens), {
      message: 'tiers must be in ascending order of aboveInputTokens',
    })
    .optional(),
  perSearchUnit: price.optional(),
  regionalMultiplier: z.number().positive().optional(),
});

export const modelInfoSchema = z.strictObject({
  provider: z.string().min(1),
  id: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  sameAs: z.string().regex(/^[^/]+\/.+$/, 'sameAs is "provider/model-id"').optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  capabilities: z
    .strictObject({
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
      reasoning: z.boolean().optional(),
      embeddings: z.boolean().optional(),
      rerank: z.boolean().optional(),
      structuredOutput: z.boolean().optional(),
      audio: z.boolean().optional(),
    })
    .optional(),
  pricing: pricingSchema.optional(),
  pricesAsOf: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'pricesAsOf is a date, YYYY-MM-DD').optional(),
  source: z.string().optional(),
  notes: z.string().optional(),
});

export const catalogFileSchema = z.strictObject({
  $comment: z.string().optional(),
  models: z.array(modelInfoSchema),
});

export type CatalogFile = z.output<typeof catalogFileSchema>;
