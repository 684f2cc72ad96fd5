import { z } from 'zod';
import { checkGovernanceReferences } from '../governance/check-governance-references.js';
import { governanceConfigShape } from '../governance/governance-schema.js';
import { parseDuration, parseSize } from './parse-size.js';

/*
 * The config file schema (YAML or JSON). Every object is strict: an unknown key is an error
 * naming it. Provider entries are validated in a second pass (validate-providers.ts) because
 * their allowed fields depend on their type.
 */

/** A duration: milliseconds as a number, or "500ms", "30s", "5m", "1h", "1d". */
export const duration = z.union([z.number(), z.string()]).transform((value, context) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a duration (use e.g. 500ms, 30s, 5m)` });
    return z.NEVER;
  }
  return ms;
});

/** A size: bytes as a number, or "512kb", "20mb". */
export const size = z.union([z.number(), z.string()]).transform((value, context) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a size (use e.g. 512kb, 20mb)` });
    return z.NEVER;
  }
  return bytes;
});

export const serverSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Largest request body accepted; larger ones get 413. */
    bodyLimit: size.default(20 * 1024 * 1024),
    /** On SIGINT/SIGTERM, how long in-flight requests and streams may take to finish. */
    shutdownTimeout: duration.default(30_000),
    /** Idle keep-alive time for client connections. */
    keepAliveTimeout: duration.default(65_000),
  })
  .prefault({});

export const loggingSchema = z
  .strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** One access-log line per request. */
    requests: z.boolean().default(true),
  })
  .prefault({});

export const topLevelShape = {
  server: serverSchema,
  /** Where the embedded SQLite store and generated secrets live. */
  dataDir: z.string().min(1).default('./data'),
  logging: loggingSchema,
  /** Reject requests whose parameters a provider cannot honour, instead of warning. */
  strict: z.boolean().default(false),
  /**
   * Shared stores for several instances (DESIGN §2): PostgreSQL for config, keys and durable
   * records; Redis for counters, cache and change notices. Absent: SQLite in dataDir.
   */
  stores: z
    .strictObject({
      postgres: z.strictObject({ url: z.string().min(1), maxConnections: z.number().int().positive().optional() }).optional(),
      redis: z.strictObject({ url: z.string().min(1) }).optional(),
    })
    .prefault({}),
  /** Extra model catalog files (JSON, same shape as catalog/models.json); later files win. */
  catalog: z.strictObject({ files: z.array(z.string().min(1)).default([]) }).prefault({}),
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'provider ids use letters, digits, ".", "_" and "-"'), z.unknown()).default({}),
  /** Virtual keys, teams, customers, budgets and rate limits (src/governance/governance-schema.ts). */
  ...governanceConfigShape,
};

export const topLevelSchema = z.strictObject(topLevelShape).superRefine(checkGovernanceReferences);

export type TopLevelConfig = z.output<typeof topLevelSchema>;
