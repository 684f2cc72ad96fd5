import type { Limits, ProviderLimitRecord, SpendScope } from '../governance/entities.js';
import type { GovernanceService } from '../governance/governance-service.js';
import type { Budget, RateLimit } from '../governance/governance-schema.js';
import type { RouteTable } from '../server/route-table.js';
import { adminRoute, badRequest, notFound } from './admin-http.js';
import { budgetsBodySchema, rateLimitsBodySchema } from './admin-schemas.js';
import { assertWritable } from './entity-helpers.js';
import type { AdminRequest } from './admin-http.js';
import { subjectName, subjectUsage } from './usage-views.js';

/** URL scope names → subject scopes. */
export const SCOPES: Record<string, SpendScope> = {
  'virtual-keys': 'virtual-key',
  teams: 'team',
  customers: 'customer',
  providers: 'provider',
};

export function scopeOf(request: AdminRequest): SpendScope {
  const scope = SCOPES[request.params.scope ?? ''];
  if (scope === undefined)
    throw badRequest(
      `Unknown scope "${request.params.scope}" (use virtual-keys, teams, customers or providers).`,
      'scope',
    );
  return scope;
}

/** Every subject that has limits, for the list views. */
function limitedSubjects(
  service: GovernanceService,
): Array<{ scope: SpendScope; id: string; limits: Limits; source: string }> {
  const data = service.state.data;
  return [
    ...data.virtualKeys.map((key) => ({
      scope: 'virtual-key' as const,
      id: key.id,
      limits: key,
      source: key.source,
    })),
    ...data.teams.map((team) => ({ scope: 'team' as const, id: team.id, limits: team, source: team.source })),
    ...data.customers.map((customer) => ({
      scope: 'customer' as const,
      id: customer.id,
      limits: customer,
      source: customer.source,
    })),
    ...data.providerLimits.map((limit) => ({
      scope: 'provider' as const,
      id: limit.provider,
      limits: limit,
      source: limit.source,
    })),
  ];
}

/** Replace one kind of limit on a subject; providers get a limits row of their own. */
async function setLimits(
  service: GovernanceService,
  scope: SpendScope,
  id: string,
  change: Partial<Limits>,
): Promise<void> {
  const state = service.state;
  const now = new Date().toISOString();
  switch (scope) {
    case 'virtual-key': {
      const key = state.keysById.get(id)?.key;
      if (key === undefined) throw notFound(`The virtual key "${id}"`);
      assertWritable(key, `The virtual key "${key.name}"`);
      return service.put('virtual-key', { ...key, ...change, updatedAt: now });
    }
    case 'team': {
      const team = state.teams.get(id);
      if (team === undefined) throw notFound(`The team "${id}"`);
      assertWritable(team, `The team "${team.name}"`);
      return service.put('team', { ...team, ...change, updatedAt: now });
    }
    case 'customer': {
      const customer = state.customers.get(id);
      if (customer === undefined) throw notFound(`The customer "${id}"`);
      assertWritable(customer, `The customer "${customer.name}"`);
      return service.put('customer', { ...customer, ...change, updatedAt: now });
    }
    case 'provider': {
      const existing = state.providerLimits.get(id);
      if (existing === undefined && service.providerIds().indexOf(id) === -1)
        throw notFound(`The provider "${id}"`);
      if (existing !== undefined) assertWritable(existing, `The limits of provider "${id}"`);
      const record: ProviderLimitRecord =
        existing === undefined
          ? { provider: id, budget: [], rateLimit: [], source: 'api', createdAt: now, updatedAt: now }
          : { ...existing, updatedAt: now };
      return service.put('provider-limit', { ...record, ...change });
    }
  }
}

/**
 * /api/budgets and /api/rate-limits: every limit with its current state, and per subject
 * (/api/{budgets|rate-limits}/{virtual-keys|teams|customers|providers}/{id}) replace or clear.
 * /api/usage/{scope}/{id}: remaining budget and rate-limit state of one subject.
 */
export function registerLimitRoutes(routes: RouteTable, service: GovernanceService): void {
  for (const kind of ['budget', 'rateLimit'] as const) {
    const path = kind === 'budget' ? '/api/budgets' : '/api/rate-limits';
    adminRoute(routes, 'GET', path, async () => {
      const subjects = limitedSubjects(service).filter((subject) => subject.limits[kind].length > 0);
      const data = await Promise.all(
        subjects.map(async (subject) => {
          const usage = await subjectUsage(
            service,
            service.state.subjectFor(subject.scope, subject.id)!,
            subjectName(service, subject.scope, subject.id),
          );
          return { ...usage, source: subject.source, [kind]: subject.limits[kind] };
        }),
      );
      return { body: { data } };
    });
    adminRoute(routes, 'PUT', `${path}/:scope/:id`, async (request) => {
      const scope = scopeOf(request);
      const limits: Budget[] | RateLimit[] =
        kind === 'budget' ? await request.body(budgetsBodySchema) : await request.body(rateLimitsBodySchema);
      await setLimits(service, scope, request.params.id!, { [kind]: limits });
      return {
        body: await subjectUsage(
          service,
          service.state.subjectFor(scope, request.params.id!)!,
          subjectName(service, scope, request.params.id!),
        ),
      };
    });
    adminRoute(routes, 'DELETE', `${path}/:scope/:id`, async (request) => {
      const scope = scopeOf(request);
      await setLimits(service, scope, request.params.id!, { [kind]: [] });
      return { body: { scope, id: request.params.id, [kind]: [] } };
    });
  }

  adminRoute(routes, 'GET', '/api/usage/:scope/:id', async (request) => {
    const scope = scopeOf(request);
    const id = request.params.id!;
    const subject = service.state.subjectFor(scope, id);
    if (subject === undefined || (scope === 'provider' && service.providerIds().indexOf(id) === -1))
      throw notFound(`The ${scope} "${id}"`);
    return { body: await subjectUsage(service, subject, subjectName(service, scope, id)) };
  });
}
