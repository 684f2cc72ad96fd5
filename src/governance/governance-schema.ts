import { z } from 'zod';
import { parseDuration } from '../config/parse-size.js';
import { parseBudgetPeriod } from './budget-period.js';

/*
 * Governance config: the `auth`, `governance`, `customers`, `teams` and `virtualKeys` sections
 * of the config file (DESIGN §2), and the same object shapes for the admin API. The config file
 * and the API accept one shape, so what a GET returns can be sent back in a PUT.
 */

/** An identifier in URLs and config references. */
export const entityId = z
  .string()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/,
    'ids use letters, digits, ".", "_", ":", "@" and "-" and start with a letter or digit',
  );

export const isoTime = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), {
    message: 'expected an ISO 8601 time, e.g. 2026-01-31T00:00:00Z',
  });

const CALENDAR_MONTHS = new Set([1, 2, 3, 4, 6, 12]);

/** A spending limit in USD, optionally reset every period. */
export const budgetSchema = z
  .strictObject({
    usd: z.number().min(0),
    /** Reset period, "1m" (a minute) to "12mo"; absent: the budget never resets. */
    period: z.string().optional(),
    /** Align windows to the UTC calendar (midnight, Monday, the 1st) instead of rolling from `startsAt`. */
    calendar: z.boolean().default(false),
    /** Rolling windows start here; default: when the key, team or customer was created. */
    startsAt: isoTime.optional(),
  })
  .transform((budget, context) => {
    if (budget.period === undefined) return budget;
    const period = parseBudgetPeriod(budget.period);
    if (period === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['period'],
        message: `"${budget.period}" is not a period (use e.g. 1m, 1h, 1d, 1w, 1mo; at most a year)`,
      });
      return z.NEVER;
    }
    if (budget.calendar && period.unit === 'mo' && !CALENDAR_MONTHS.has(period.count)) {
      context.addIssue({
        code: 'custom',
        path: ['period'],
        message: 'calendar-aligned month periods must divide the year (1mo, 2mo, 3mo, 4mo, 6mo, 12mo)',
      });
      return z.NEVER;
    }
    return { ...budget, period: period.text };
  });

export type Budget = z.output<typeof budgetSchema>;

/** Requests and/or tokens per window (GCRA: smooth, no fixed-window bursts at the edges). */
export const rateLimitSchema = z
  .strictObject({
    requests: z.number().int().positive().optional(),
    /** Input plus output tokens; the estimate is counted at admission and corrected at the end. */
    tokens: z.number().int().positive().optional(),
    per: z.union([z.string(), z.number()]).default('1m'),
  })
  .transform((limit, context) => {
    const ms = parseDuration(limit.per);
    if (ms === undefined || ms < 1000 || ms > 31 * 86_400_000) {
      context.addIssue({
        code: 'custom',
        path: ['per'],
        message: `"${limit.per}" is not a window between 1s and 31d (use e.g. 1s, 1m, 1h, 1d)`,
      });
      return z.NEVER;
    }
    if (limit.requests === undefined && limit.tokens === undefined) {
      context.addIssue({ code: 'custom', message: 'a rate limit needs requests, tokens or both' });
      return z.NEVER;
    }
    return { ...limit, per: typeof limit.per === 'number' ? `${limit.per}ms` : limit.per.trim() };
  });

export type RateLimit = z.output<typeof rateLimitSchema>;

/**
 * One object or a list; always a list after parsing. (A preprocess rather than a union, so an
 * error names the bad field instead of "Invalid input".)
 */
export function oneOrMany<T extends z.ZodType>(schema: T) {
  return z.preprocess(
    (value) => (Array.isArray(value) || value === undefined ? value : [value]),
    z.array(schema),
  );
}

export const patterns = z.array(z.string().min(1));

/** Allow and deny lists; "*" is a wildcard. Model patterns with a "/" match "provider/model". */
const accessShape = {
  models: patterns.optional(),
  denyModels: patterns.optional(),
  providers: patterns.optional(),
  denyProviders: patterns.optional(),
};

const limitsShape = {
  budget: oneOrMany(budgetSchema).optional(),
  rateLimit: oneOrMany(rateLimitSchema).optional(),
};

export const metadata = z.record(z.string(), z.string());

export const customerShape = {
  id: entityId.optional(),
  name: z.string().min(1).max(200),
  ...accessShape,
  ...limitsShape,
  metadata: metadata.optional(),
};

export const teamShape = {
  id: entityId.optional(),
  name: z.string().min(1).max(200),
  /** The customer this team belongs to (its id). */
  customer: entityId.optional(),
  ...accessShape,
  ...limitsShape,
  metadata: metadata.optional(),
};

export const virtualKeyShape = {
  id: entityId.optional(),
  name: z.string().min(1).max(200),
  /** The secret clients send. Required in the config file; generated (sk-sy-…) by the API when absent. */
  value: z.string().min(8).max(512).optional(),
  team: entityId.optional(),
  /** A customer for keys without a team (a key in a team belongs to the team's customer). */
  customer: entityId.optional(),
  ...accessShape,
  ...limitsShape,
  expiresAt: isoTime.optional(),
  active: z.boolean().default(true),
  metadata: metadata.optional(),
};

export const customerSchema = z.strictObject(customerShape);
export const teamSchema = z.strictObject(teamShape);
export const virtualKeySchema = z
  .strictObject(virtualKeyShape)
  .refine((key) => !(key.team !== undefined && key.customer !== undefined), {
    message: 'a key belongs to a team or directly to a customer, not both (the team names its customer)',
  });

export type CustomerInput = z.output<typeof customerSchema>;
export type TeamInput = z.output<typeof teamSchema>;
export type VirtualKeyInput = z.output<typeof virtualKeySchema>;

export const providerLimitSchema = z.strictObject(limitsShape);
export type ProviderLimitInput = z.output<typeof providerLimitSchema>;

const failMode = z.enum(['open', 'closed']);

/** The `governance` section: behaviour of budgets and limits. */
export const governanceSchema = z
  .strictObject({
    /**
     * What happens when the counter store (Redis, or PostgreSQL for durable spend) cannot be
     * reached: "open" admits requests unmetered, "closed" refuses them with 503.
     */
    onStoreFailure: z
      .strictObject({
        rateLimits: failMode.default('open'),
        budgets: failMode.default('closed'),
      })
      .prefault({}),
    estimate: z
      .strictObject({
        /** Prompt tokens are estimated as body bytes divided by this (3 over-counts English, fits CJK). */
        bytesPerToken: z.number().positive().default(3),
        /** Output tokens reserved when the request sets no max tokens; default: the model's maximum from the catalog, else 4096. */
        defaultMaxTokens: z.number().int().positive().optional(),
      })
      .prefault({}),
    /**
     * Requests to a model without a catalog price, when a budget applies: "reject" them,
     * count them as "free", or price them at these USD per million tokens.
     */
    unpricedModels: z
      .union([
        z.enum(['reject', 'free']),
        z.strictObject({ input: z.number().min(0), output: z.number().min(0) }),
      ])
      .default('reject'),
    /** A reservation not settled within this time (a crashed instance) is released. */
    reservationTtl: z
      .union([z.number(), z.string()])
      .default('10m')
      .transform((value, context) => {
        const ms = parseDuration(value);
        if (ms === undefined || ms < 1000) {
          context.addIssue({ code: 'custom', message: `"${value}" is not a duration of at least 1s` });
          return z.NEVER;
        }
        return ms;
      }),
    /** Budgets and rate limits per provider id. */
    providerLimits: z.record(z.string().min(1), providerLimitSchema).default({}),
    /** Send x-ratelimit-* and x-switchyard-budget-* headers on inference responses. */
    responseHeaders: z.boolean().default(true),
  })
  .prefault({});

export type GovernanceSettings = z.output<typeof governanceSchema>;

export const authSchema = z
  .strictObject({
    /** Refuse inference without a valid virtual key even when no key exists yet. */
    required: z.boolean().default(false),
  })
  .prefault({});

/** The top-level sections this module adds to the config file. */
export const governanceConfigShape = {
  auth: authSchema,
  governance: governanceSchema,
  customers: z.array(customerSchema).default([]),
  teams: z.array(teamSchema).default([]),
  virtualKeys: z.array(virtualKeySchema).default([]),
};
