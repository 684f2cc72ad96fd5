import type { Logger } from 'pino';
import { toGatewayError, type GatewayError } from '../core/index.js';
import type { RequestContext } from '../pipeline/request-context.js';
import type { RequestRecord } from '../pipeline/request-record.js';
import type { GatewayRuntime } from '../pipeline/runtime.js';
import type { Target } from '../router/target.js';
import {
  CounterUnavailableError,
  type AdmitResult,
  type BudgetCharge,
  type BudgetSettlement,
  type RateAdjustment,
  type RateCharge,
} from '../store/counters/counter-store.js';
import { accessRefusal } from './access-lists.js';
import { estimateRequest, type Estimate } from './estimate-request.js';
import {
  budgetError,
  missingKeyError,
  authenticationError,
  permissionError,
  rateLimitError,
  storeUnavailableError,
} from './governance-errors.js';
import type { GovernanceService } from './governance-service.js';
import { NANO, type ResolvedKey, type Subject } from './governance-state.js';
import { budgetCharges, rateCharges } from './limit-charges.js';
import { formatResetDuration, limitHeaders } from './limit-headers.js';
import { readClientKeys } from './read-client-key.js';
import { settlementCost } from './settlement-cost.js';
import { hashesEqual, hashVirtualKey } from './virtual-key-secret.js';
import { timeOrderedId } from '../store/time-ordered-id.js';

const GOVERNANCE = Symbol('governance');

/** What is down when admission cannot reach the counters (named in the 503). */
const COUNTER_STORE_NAMES = {
  redis: 'Redis (budget and rate-limit counters)',
  cluster: 'The cluster primary (budget and rate-limit counters)',
  memory: 'The spend ledger',
} as const;

interface Charges {
  budgets: BudgetCharge[];
  rates: RateCharge[];
}

interface ProviderAdmission extends Charges {
  admitted: boolean;
  refusal?: GatewayError;
}

/** What governance knows about one request, from authentication to settlement. */
interface RequestGovernance {
  /**
   * Governance's own id for the request: counters and the ledger are idempotent on it. Not the
   * request id, which the client may choose (x-request-id) and reuse.
   */
  id: string;
  resolved: ResolvedKey | undefined;
  /** Admission time: the budget windows the request counts in. */
  at: number;
  estimate?: Estimate;
  /** Charges on the key, team, customer (and the provider when there is only one). */
  admitted?: Charges;
  /** Per-provider charges when the plan spans several providers. */
  providers?: Map<string, ProviderAdmission>;
  attempted?: Set<string>;
}

function requestGovernance(context: RequestContext): RequestGovernance | undefined {
  return context.state.get(GOVERNANCE) as RequestGovernance | undefined;
}

function usd(nano: number): string {
  const value = nano / NANO;
  return `$${value >= 1 ? value.toFixed(2) : value.toPrecision(3)}`;
}

/** Plug governance into the pipeline: authenticate, admit, attemptStart, complete. */
export function installGovernanceHooks(runtime: GatewayRuntime, service: GovernanceService): void {
  const settings = service.settings;
  const logger: Logger = runtime.logger.child({ component: 'governance' });
  let lastOutageLog = 0;

  const describe = (scope: string, id: string): string => {
    const state = service.state;
    switch (scope) {
      case 'virtual-key':
        return `virtual key "${state.keysById.get(id)?.key.name ?? id}"`;
      case 'team':
        return `team "${state.teams.get(id)?.name ?? id}"`;
      case 'customer':
        return `customer "${state.customers.get(id)?.name ?? id}"`;
      default:
        return `provider "${id}"`;
    }
  };

  const refusal = (result: AdmitResult, charges: Charges, now: number): GatewayError => {
    const { kind, index, retryAfterMs } = result.refusal!;
    const headers = settings.responseHeaders
      ? limitHeaders(
          charges.rates.map((charge, position) => ({ charge, state: result.rates[position]! })),
          charges.budgets.map((charge, position) => ({ charge, state: result.budgets[position]! })),
          now,
        )
      : {};
    const wait = retryAfterMs === undefined ? '' : ` Retry in ${formatResetDuration(retryAfterMs)}.`;
    if (kind === 'rate') {
      const charge = charges.rates[index]!;
      return rateLimitError(
        `Rate limit reached for ${describe(charge.subject.scope, charge.subject.id)}: ${charge.limit} ${charge.kind} per ${formatResetDuration(charge.periodMs)}.${wait}`,
        retryAfterMs,
        headers,
      );
    }
    const charge = charges.budgets[index]!;
    const state = result.budgets[index]!;
    const reset =
      retryAfterMs === undefined
        ? ' It does not reset.'
        : ` It resets in ${formatResetDuration(retryAfterMs)}.`;
    return budgetError(
      `Budget exhausted for ${describe(charge.subject.scope, charge.subject.id)}: ${usd(state.spentNano)} spent and ${usd(state.reservedNano)} reserved by requests in flight, of ${usd(charge.limitNano)}.${reset}`,
      retryAfterMs,
      headers,
    );
  };

  /** Admit against the counters; when they are down, apply the configured fail mode. */
  const admitCharges = async (id: string, charges: Charges): Promise<AdmitResult | undefined> => {
    try {
      return await service.counters.admit(id, charges.budgets, charges.rates, settings.reservationTtl);
    } catch (error) {
      if (!(error instanceof CounterUnavailableError)) throw error;
      const closed =
        (charges.budgets.length > 0 && settings.onStoreFailure.budgets === 'closed') ||
        (charges.rates.length > 0 && settings.onStoreFailure.rateLimits === 'closed');
      const now = Date.now();
      if (now - lastOutageLog > 5000) {
        lastOutageLog = now;
        logger.warn(
          { err: error, failMode: closed ? 'closed' : 'open' },
          'budget and rate-limit counters unavailable',
        );
      }
      if (closed)
        throw storeUnavailableError(COUNTER_STORE_NAMES[service.counters.kind]);
      service.counters.noteUnmetered(charges.budgets);
      return undefined;
    }
  };

  const chainRefusal = (resolved: ResolvedKey, target: Target): string | undefined => {
    for (const lists of resolved.access) {
      const why = accessRefusal(lists, target.provider.id, target.model);
      if (why !== undefined) return why;
    }
    return undefined;
  };

  runtime.hooks.authenticate.push((context) => {
    const state = service.state;
    // Open only when the store was read and has no keys: a store not read yet may hold some.
    if (state.keyCount === 0 && !service.authRequired && service.loaded) return;
    const candidates = readClientKeys(context.request);
    if (candidates.length === 0) throw missingKeyError();
    let resolved: ResolvedKey | undefined;
    for (const candidate of candidates) {
      const hash = hashVirtualKey(candidate);
      const found = state.keysByHash.get(hash);
      if (found !== undefined && hashesEqual(hash, found.key.keyHash)) {
        resolved = found;
        break;
      }
    }
    if (resolved === undefined) {
      if (!service.loaded) throw storeUnavailableError('The config store (PostgreSQL)');
      throw authenticationError('Invalid virtual key.');
    }
    if (!resolved.key.active)
      throw authenticationError(`The virtual key "${resolved.key.name}" is disabled.`);
    if (resolved.expiresAtMs !== undefined && resolved.expiresAtMs <= Date.now()) {
      throw authenticationError(
        `The virtual key "${resolved.key.name}" expired at ${resolved.key.expiresAt}.`,
      );
    }
    const record = context.record;
    record.principal = resolved.principal;
    // The key's tags are the admin's: they win over tags the client sent.
    for (const [name, value] of Object.entries(resolved.key.metadata)) record.metadata[name] = value;
    context.state.set(GOVERNANCE, {
      id: timeOrderedId(),
      resolved,
      at: record.startedAt,
    } satisfies RequestGovernance);
  });

  /** Nothing to check: no provider limits, and no key or a key without limits or access lists. */
  const ungoverned = (context: RequestContext): boolean => {
    const resolved = requestGovernance(context)?.resolved;
    return (
      service.state.providerSubjects.size === 0 &&
      (resolved === undefined || (resolved.subjects.length === 0 && resolved.access.length === 0))
    );
  };

  const admit = async (context: RequestContext): Promise<void> => {
    const state = service.state;
    const gov = requestGovernance(context) ?? {
      id: timeOrderedId(),
      resolved: undefined,
      at: context.record.startedAt,
    };
    const resolved = gov.resolved;
    const providerSubjects = state.providerSubjects;
    const record = context.record;
    const model = record.modelRequested;
    if (model === undefined) return;
    const targets = runtime.router.plan(model, context, record.operation);
    let allowed: Target[] = targets;
    if (resolved !== undefined && resolved.access.length > 0) {
      allowed = [];
      let first: string | undefined;
      for (const target of targets) {
        const why = chainRefusal(resolved, target);
        if (why === undefined) allowed.push(target);
        else first ??= why;
      }
      if (allowed.length === 0)
        throw permissionError(`The virtual key "${resolved.key.name}" may not use "${model}": ${first}.`);
    }
    const subjects = resolved?.subjects ?? [];
    const providerIds = [...new Set(allowed.map((target) => target.provider.id))];
    const limitedProviders = providerIds.filter((id) => providerSubjects.has(id));
    context.state.set(GOVERNANCE, gov);
    if (subjects.length === 0 && limitedProviders.length === 0) return;

    const estimate = estimateRequest(context, allowed, runtime.catalog, settings);
    if (estimate.unpriced.length > 0) {
      const principalBudgets = subjects.some((subject) => subject.budgets.length > 0);
      const blocked = estimate.unpriced.filter(
        (target) => principalBudgets || (providerSubjects.get(target.provider.id)?.budgets.length ?? 0) > 0,
      );
      if (blocked.length > 0) {
        throw permissionError(
          `No price is known for ${blocked.map((target) => `"${target.provider.id}/${target.model}"`).join(', ')}, so its cost cannot be held against a budget. Add the model to a catalog file (catalog.files) or set governance.unpricedModels.`,
        );
      }
    }
    const now = Date.now();
    gov.at = now;
    gov.estimate = estimate;
    // One provider in the plan: its limits join the key's in one atomic admission.
    const single = limitedProviders.length === 1 && providerIds.length === 1;
    const principalSubjects: Subject[] = single
      ? [...subjects, providerSubjects.get(limitedProviders[0]!)!]
      : subjects;
    const views: Charges = { budgets: [], rates: [] };
    const viewStates: AdmitResult = { admitted: true, budgets: [], rates: [] };
    const principal: Charges = {
      budgets: budgetCharges(principalSubjects, now, estimate.costNano),
      rates: rateCharges(principalSubjects, estimate.tokens),
    };
    if (principal.budgets.length + principal.rates.length > 0) {
      const result = await admitCharges(gov.id, principal);
      if (result !== undefined && !result.admitted) {
        const error = refusal(result, principal, now);
        if (settings.responseHeaders) Object.assign(context.responseHeaders, error.headers);
        throw error;
      }
      if (result !== undefined) {
        gov.admitted = principal;
        views.budgets.push(...principal.budgets);
        views.rates.push(...principal.rates);
        viewStates.budgets.push(...result.budgets);
        viewStates.rates.push(...result.rates);
      }
    }
    if (!single && limitedProviders.length > 0) {
      const providers = new Map<string, ProviderAdmission>();
      gov.providers = providers;
      gov.attempted = new Set();
      await Promise.all(
        limitedProviders.map(async (id) => {
          const subject = providerSubjects.get(id)!;
          const charges: ProviderAdmission = {
            budgets: budgetCharges([subject], now, estimate.costNano),
            rates: rateCharges([subject], estimate.tokens),
            admitted: false,
          };
          providers.set(id, charges);
          try {
            const result = await admitCharges(gov.id, charges);
            if (result === undefined) return;
            if (!result.admitted) {
              charges.refusal = refusal(result, charges, now);
              return;
            }
            charges.admitted = true;
            views.budgets.push(...charges.budgets);
            views.rates.push(...charges.rates);
            viewStates.budgets.push(...result.budgets);
            viewStates.rates.push(...result.rates);
          } catch (error) {
            charges.refusal = toGatewayError(error);
          }
        }),
      );
      const usable = allowed.some((target) => providers.get(target.provider.id)?.refusal === undefined);
      if (!usable) {
        const error = [...providers.values()].find((entry) => entry.refusal !== undefined)!.refusal!;
        if (settings.responseHeaders && error.headers !== undefined)
          Object.assign(context.responseHeaders, error.headers);
        throw error;
      }
    }
    if (settings.responseHeaders) {
      Object.assign(
        context.responseHeaders,
        limitHeaders(
          views.rates.map((charge, index) => ({ charge, state: viewStates.rates[index]! })),
          views.budgets.map((charge, index) => ({ charge, state: viewStates.budgets[index]! })),
          now,
        ),
      );
    }
  };
  runtime.hooks.admit.push((context) => (ungoverned(context) ? undefined : admit(context)));

  runtime.hooks.attemptStart.push((context, target) => {
    const gov = requestGovernance(context);
    if (gov === undefined) return;
    if (gov.resolved !== undefined && gov.resolved.access.length > 0) {
      const why = chainRefusal(gov.resolved, target);
      if (why !== undefined)
        throw permissionError(`The virtual key "${gov.resolved.key.name}" may not use this target: ${why}.`);
    }
    const admission = gov.providers?.get(target.provider.id);
    if (admission?.refusal !== undefined) throw admission.refusal;
    gov.attempted?.add(target.provider.id);
  });

  runtime.hooks.complete.push((record, context) =>
    settle(service, record, requestGovernance(context), logger),
  );
}

/**
 * Settle what admission reserved: budgets get the real cost (the answering provider's budget
 * only; other providers 0), token limits get the real count, and a request that never reached
 * any provider gives its request slot back. Then the durable spend row.
 */
function settle(
  service: GovernanceService,
  record: RequestRecord,
  gov: RequestGovernance | undefined,
  logger: Logger,
): void {
  const state = service.state;
  const answeredBy = record.provider;
  const resolved = gov?.resolved;
  const { costNano, tokens } = settlementCost(record, gov?.estimate, service.settings);
  const budgets: BudgetSettlement[] = [];
  const rates: RateAdjustment[] = [];
  const neverSent = record.attempts.length === 0;
  const add = (
    charges: { budgets: BudgetCharge[]; rates: RateCharge[] },
    usedHere: boolean,
    requestCounts: boolean,
  ): void => {
    for (const charge of charges.budgets) {
      const charged = charge.subject.scope !== 'provider' || (usedHere && charge.subject.id === answeredBy);
      budgets.push({
        counter: charge.counter,
        subject: charge.subject,
        window: charge.window,
        reservedNano: charge.amountNano,
        actualNano: charged ? costNano : 0,
      });
    }
    for (const charge of charges.rates) {
      const used = charge.subject.scope !== 'provider' || usedHere;
      const delta = charge.kind === 'tokens' ? (used ? tokens : 0) - charge.cost : requestCounts ? 0 : -1;
      if (delta !== 0)
        rates.push({ counter: charge.counter, limit: charge.limit, periodMs: charge.periodMs, delta });
    }
  };
  if (gov?.admitted !== undefined) add(gov.admitted, true, !neverSent);
  if (gov?.providers !== undefined) {
    for (const [id, admission] of gov.providers) {
      if (admission.admitted) add(admission, id === answeredBy, gov.attempted?.has(id) ?? false);
    }
  }
  if (budgets.length + rates.length > 0) {
    service.counters.settle(gov!.id, budgets, rates).catch((error: unknown) => {
      logger.warn(
        { err: error, requestId: record.id },
        'settling budget and rate-limit counters failed; the spend ledger still has the request',
      );
    });
  }
  const tracked =
    resolved !== undefined || (answeredBy !== undefined && state.providerSubjects.has(answeredBy));
  if (tracked && costNano > 0) {
    service.ledger.append({
      spendId: gov?.id ?? timeOrderedId(),
      requestId: record.id,
      at: gov?.at ?? record.startedAt,
      ...(resolved === undefined ? {} : { virtualKeyId: resolved.key.id }),
      ...(resolved?.team === undefined ? {} : { teamId: resolved.team.id }),
      ...(resolved?.customer === undefined ? {} : { customerId: resolved.customer.id }),
      ...(answeredBy === undefined ? {} : { provider: answeredBy }),
      ...(record.model === undefined ? {} : { model: record.model }),
      costNano,
      ...(record.usage?.inputTokens === undefined ? {} : { inputTokens: record.usage.inputTokens }),
      ...(record.usage?.outputTokens === undefined ? {} : { outputTokens: record.usage.outputTokens }),
    });
  }
}
