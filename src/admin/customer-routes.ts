import type { CustomerRecord } from '../governance/entities.js';
import { customerRecord } from '../governance/config-seed.js';
import { customerSchema } from '../governance/governance-schema.js';
import type { GovernanceService } from '../governance/governance-service.js';
import type { RouteTable } from '../server/route-table.js';
import { adminRoute, conflict, notFound } from './admin-http.js';
import { customerPatchSchema } from './admin-schemas.js';
import { applyPatch, assertWritable, newId } from './entity-helpers.js';
import { customerView } from './governance-views.js';
import { subjectUsage } from './usage-views.js';

function find(service: GovernanceService, id: string): CustomerRecord {
  const customer = service.state.customers.get(id);
  if (customer === undefined) throw notFound(`The customer "${id}"`);
  return customer;
}

/** /api/customers: list, create, read, update, delete (when nothing belongs to it), usage. */
export function registerCustomerRoutes(routes: RouteTable, service: GovernanceService): void {
  adminRoute(routes, 'GET', '/api/customers', () => ({
    body: { data: service.state.data.customers.map(customerView) },
  }));

  adminRoute(routes, 'POST', '/api/customers', async (request) => {
    const input = await request.body(customerSchema);
    const id = input.id ?? newId('cus');
    if (service.state.customers.has(id)) throw conflict(`A customer with id "${id}" exists.`);
    await service.put('customer', customerRecord(input, 'api', new Date().toISOString(), id));
    return { status: 201, body: customerView(find(service, id)) };
  });

  adminRoute(routes, 'GET', '/api/customers/:id', (request) => ({
    body: customerView(find(service, request.params.id!)),
  }));

  adminRoute(routes, 'PATCH', '/api/customers/:id', async (request) => {
    const customer = find(service, request.params.id!);
    assertWritable(customer, `The customer "${customer.name}"`);
    const patch = await request.body(customerPatchSchema);
    await service.put('customer', applyPatch(customer, patch));
    return { body: customerView(find(service, customer.id)) };
  });

  adminRoute(routes, 'DELETE', '/api/customers/:id', async (request) => {
    const customer = find(service, request.params.id!);
    assertWritable(customer, `The customer "${customer.name}"`);
    const state = service.state;
    const owned =
      state.data.teams.filter((team) => team.customerId === customer.id).length +
      state.data.virtualKeys.filter((key) => key.customerId === customer.id).length;
    if (owned > 0)
      throw conflict(
        `The customer "${customer.name}" still has ${owned} team(s) or key(s); delete or move them first.`,
      );
    await service.remove('customer', [customer.id]);
    return { body: { id: customer.id, deleted: true } };
  });

  adminRoute(routes, 'GET', '/api/customers/:id/usage', async (request) => {
    const customer = find(service, request.params.id!);
    return {
      body: await subjectUsage(service, service.state.subjectFor('customer', customer.id)!, customer.name),
    };
  });
}
