import { parseDuration } from '../config/parse-size.js';
import type { RequestPrincipal } from '../pipeline/request-record.js';
import { parseBudgetPeriod, type BudgetPeriod } from './budget-period.js';
import type {
  AccessLists,
  CustomerRecord,
  GovernanceData,
  Limits,
  ProviderLimitRecord,
  SpendScope,
  TeamRecord,
  VirtualKeyRecord,
} from './entities.js';

/** USD → nano-USD (integers in the counters and the ledger). */
export const NANO = 1e9;

export interface CompiledBudget {
  limitNano: number;
  usd: number;
  period: BudgetPeriod | undefined;
  calendar: boolean;
  /** Rolling windows step from here (epoch ms). */
  anchor: number;
}

export interface CompiledRate {
  requests?: number;
  tokens?: number;
  perMs: number;
  per: string;
}

/** A key, team, customer or provider with its limits, ready for the hot path. */
export interface Subject {
  scope: SpendScope;
  id: string;
  budgets: CompiledBudget[];
  rates: CompiledRate[];
}

/** A virtual key resolved with its team and customer. */
export interface ResolvedKey {
  key: VirtualKeyRecord;
  team: TeamRecord | undefined;
  customer: CustomerRecord | undefined;
  expiresAtMs: number | undefined;
  /** key, team, customer — those with limits. */
  subjects: Subject[];
  /** Access lists along the chain; each must allow a target. */
  access: AccessLists[];
  principal: RequestPrincipal;
}

function compile(scope: SpendScope, id: string, limits: Limits, createdAt: string): Subject {
  const created = Date.parse(createdAt);
  return {
    scope,
    id,
    budgets: limits.budget.map((budget) => ({
      limitNano: Math.round(budget.usd * NANO),
      usd: budget.usd,
      period: budget.period === undefined ? undefined : parseBudgetPeriod(budget.period),
      calendar: budget.calendar,
      anchor:
        budget.startsAt === undefined ? (Number.isNaN(created) ? 0 : created) : Date.parse(budget.startsAt),
    })),
    rates: limits.rateLimit.map((limit) => ({
      ...(limit.requests === undefined ? {} : { requests: limit.requests }),
      ...(limit.tokens === undefined ? {} : { tokens: limit.tokens }),
      perMs: parseDuration(limit.per) ?? 60_000,
      per: limit.per,
    })),
  };
}

function hasLimits(subject: Subject): boolean {
  return subject.budgets.length > 0 || subject.rates.length > 0;
}

function hasAccessLists(lists: AccessLists): boolean {
  return (
    lists.models !== undefined ||
    lists.denyModels !== undefined ||
    lists.providers !== undefined ||
    lists.denyProviders !== undefined
  );
}

/**
 * An immutable snapshot of the config store, built on load and on every change; requests read
 * it without touching a database. Swapping the snapshot is one assignment.
 */
export class GovernanceState {
  readonly data: GovernanceData;
  readonly keysByHash = new Map<string, ResolvedKey>();
  readonly keysById = new Map<string, ResolvedKey>();
  readonly teams = new Map<string, TeamRecord>();
  readonly customers = new Map<string, CustomerRecord>();
  readonly providerLimits = new Map<string, ProviderLimitRecord>();
  readonly providerSubjects = new Map<string, Subject>();

  constructor(data: GovernanceData) {
    this.data = data;
    for (const customer of data.customers) this.customers.set(customer.id, customer);
    for (const team of data.teams) this.teams.set(team.id, team);
    for (const limit of data.providerLimits) {
      this.providerLimits.set(limit.provider, limit);
      const subject = compile('provider', limit.provider, limit, limit.createdAt);
      if (hasLimits(subject)) this.providerSubjects.set(limit.provider, subject);
    }
    for (const key of data.virtualKeys) {
      const resolved = this.resolve(key);
      this.keysByHash.set(key.keyHash, resolved);
      this.keysById.set(key.id, resolved);
    }
  }

  private resolve(key: VirtualKeyRecord): ResolvedKey {
    const team = key.teamId === undefined ? undefined : this.teams.get(key.teamId);
    const customerId = team?.customerId ?? key.customerId;
    const customer = customerId === undefined ? undefined : this.customers.get(customerId);
    const subjects = [compile('virtual-key', key.id, key, key.createdAt)];
    if (team !== undefined) subjects.push(compile('team', team.id, team, team.createdAt));
    if (customer !== undefined) subjects.push(compile('customer', customer.id, customer, customer.createdAt));
    const expiresAtMs = key.expiresAt === undefined ? undefined : Date.parse(key.expiresAt);
    return {
      key,
      team,
      customer,
      expiresAtMs,
      subjects: subjects.filter(hasLimits),
      access: [key, team, customer].filter(
        (lists): lists is AccessLists & NonNullable<typeof lists> =>
          lists !== undefined && hasAccessLists(lists),
      ),
      principal: {
        virtualKeyId: key.id,
        virtualKeyName: key.name,
        ...(team === undefined ? {} : { teamId: team.id }),
        ...(customer === undefined ? {} : { customerId: customer.id }),
      },
    };
  }

  get keyCount(): number {
    return this.data.virtualKeys.length;
  }

  /** Compile a subject for usage queries (team or customer without going through a key). */
  subjectFor(scope: SpendScope, id: string): Subject | undefined {
    switch (scope) {
      case 'virtual-key': {
        const key = this.keysById.get(id)?.key;
        return key === undefined ? undefined : compile(scope, id, key, key.createdAt);
      }
      case 'team': {
        const team = this.teams.get(id);
        return team === undefined ? undefined : compile(scope, id, team, team.createdAt);
      }
      case 'customer': {
        const customer = this.customers.get(id);
        return customer === undefined ? undefined : compile(scope, id, customer, customer.createdAt);
      }
      case 'provider': {
        const limit = this.providerLimits.get(id);
        return limit === undefined
          ? { scope, id, budgets: [], rates: [] }
          : compile(scope, id, limit, limit.createdAt);
      }
    }
  }
}
