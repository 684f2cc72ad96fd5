import { z } from 'zod';
import { checkGovernanceReferences } from '../governance/check-governance-references.js';
import { governanceConfigShape } from '../governance/governance-schema.js';
import { observabilitySchema } from '../observability/config-schema.js';
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

/** A balancing strategy among the targets of a route (docs/routing.md). */
export const balanceStrategy = z.enum(['weighted', 'least-in-flight', 'latency', 'cost']);

/** A route target: "provider/model" (or an alias or bare model name), optionally weighted. */
const routeTarget = z.union([
  z.string().min(1),
  z.strictObject({ model: z.string().min(1), weight: z.number().min(0).default(1) }),
]);

/** Racing a second target once the first is slow (off unless enabled). */
const hedgingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Start the second attempt when the first has not answered (committed) after this long. */
  after: duration.default(2000),
});

/** What a route does: its targets, how to balance them, and where to go when they fail. */
const routeFields = {
  targets: z.array(routeTarget).min(1).optional(),
  strategy: balanceStrategy.optional(),
  /** Ordered fallbacks tried after every target of the route failed. */
  fallbacks: z.array(z.string().min(1)).optional(),
  hedging: hedgingSchema.optional(),
  /** Overall deadline for requests on this route (overrides routing.deadline). */
  deadline: duration.optional(),
};

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** Conditions of a routing rule: every given condition must hold; a list matches any of its patterns. */
const ruleConditions = z.strictObject({
  /** The model the client asked for ("*" wildcards). */
  model: stringOrList.optional(),
  /** Request headers (names lower-case) and the patterns their value must match. */
  headers: z.record(z.string().min(1), stringOrList).optional(),
  /** Request metadata (x-switchyard-metadata and plugins) and the patterns values must match. */
  metadata: z.record(z.string().min(1), stringOrList).optional(),
  /** Virtual key names or ids (once governance authenticates the request). */
  virtualKey: stringOrList.optional(),
});

/**
 * Routing (docs/routing.md): aliases, rules, fallbacks, balancing, hedging, the request deadline
 * and the retry budget. Per-provider retry, circuit breaking and concurrency live on each provider.
 */
export const routingSchema = z
  .strictObject({
    /** Balancing among a route's targets when the route does not choose. */
    strategy: balanceStrategy.default('weighted'),
    /** Model names clients may use that stand for one or more targets. */
    aliases: z
      .record(
        z.string().min(1),
        z.union([z.string().min(1), z.array(routeTarget).min(1), z.strictObject({ ...routeFields, targets: z.array(routeTarget).min(1) })]),
      )
      .default({}),
    /** Conditional routes, tried in order before aliases; the first rule whose conditions hold wins. */
    rules: z.array(z.strictObject({ name: z.string().min(1).optional(), when: ruleConditions, ...routeFields })).default([]),
    /** Fallbacks by requested model pattern, e.g. {"openai/*": ["anthropic/claude-sonnet-4-5"]}. */
    fallbacks: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
    /** One overall deadline per request, across attempts, retries and waits, until the response starts. */
    deadline: duration.default(600_000),
    /** Retries (every attempt after a request's first) stay within a share of requests. */
    retryBudget: z
      .strictObject({
        /** Retries allowed per request over the window. */
        ratio: z.number().min(0).max(10).default(0.2),
        /** Retries always allowed per second, whatever the traffic. */
        minPerSecond: z.number().min(0).default(5),
        window: duration.default(10_000),
      })
      .prefault({}),
    /** Default hedging for every route. */
    hedging: z.strictObject({ enabled: z.boolean().default(false), after: duration.default(2000) }).prefault({}),
    /** Never route around more than this share of a request's targets, however many are ejected. */
    maxEjectedShare: z.number().min(0).max(1).default(0.5),
    /** Time constant of the peak-EWMA latency score used by the "latency" strategy. */
    latencyDecay: duration.default(10_000),
    /** Let clients pin a provider key by name with the x-switchyard-key header. */
    keyPinning: z.boolean().default(true),
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
  /**
   * The OpenAI Responses surface (/v1/responses): how long responses are kept for
   * previous_response_id and GET /v1/responses/{id} (SQLite in dataDir, or stores.postgres).
   */
  responses: z
    .strictObject({
      /** Keep responses the client did not mark `store: false`. Off: the gateway stores nothing. */
      store: z.boolean().default(true),
      /** How long a stored response lives (OpenAI keeps them 30 days). */
      retention: duration.default(30 * 86_400_000),
      /** Longest previous_response_id chain followed; longer conversations are refused. */
      maxChain: z.number().int().positive().default(1000),
      /**
       * Look ids the gateway did not store up at providers that keep Responses state (OpenAI,
       * Azure). Default: on for an open gateway, off once clients authenticate (auth.required or
       * virtual keys in the file), because that upstream storage is shared by every client.
       */
      forwardLookups: z.boolean().optional(),
    })
    .prefault({}),
  /** Extra model catalog files (JSON, same shape as catalog/models.json); later files win. */
  catalog: z.strictObject({ files: z.array(z.string().min(1)).default([]) }).prefault({}),
  /** Aliases, routing rules, fallbacks, balancing, hedging, deadline and retry budget. */
  routing: routingSchema,
  /** Request log, Prometheus metrics and OpenTelemetry tracing (docs/observability.md). */
  observability: observabilitySchema,
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'provider ids use letters, digits, ".", "_" and "-"'), z.unknown()).default({}),
  /** Virtual keys, teams, customers, budgets and rate limits (src/governance/governance-schema.ts). */
  ...governanceConfigShape,
};

export const topLevelSchema = z.strictObject(topLevelShape).superRefine(checkGovernanceReferences);

export type TopLevelConfig = z.output<typeof topLevelSchema>;
