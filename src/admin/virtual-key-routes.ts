import type { VirtualKeyRecord } from '../governance/entities.js';
import { virtualKeyRecord } from '../governance/config-seed.js';
import { virtualKeySchema } from '../governance/governance-schema.js';
import type { GovernanceService } from '../governance/governance-service.js';
import { generateVirtualKey, hashVirtualKey, virtualKeyHint } from '../governance/virtual-key-secret.js';
import type { RouteTable } from '../server/route-table.js';
import { adminRoute, badRequest, conflict, notFound } from './admin-http.js';
import { virtualKeyPatchSchema } from './admin-schemas.js';
import { applyPatch, assertWritable, checkReferences, newId } from './entity-helpers.js';
import { virtualKeyView } from './governance-views.js';
import { subjectUsage } from './usage-views.js';

function find(service: GovernanceService, id: string): VirtualKeyRecord {
  const key = service.state.keysById.get(id)?.key;
  if (key === undefined) throw notFound(`The virtual key "${id}"`);
  return key;
}

/**
 * /api/virtual-keys: list, create (the secret is returned once, in the creation answer), read,
 * update, delete, rotate (a new secret, the old one stops working at once) and usage.
 */
export function registerVirtualKeyRoutes(routes: RouteTable, service: GovernanceService): void {
  adminRoute(routes, 'GET', '/api/virtual-keys', () => ({
    body: { data: service.state.data.virtualKeys.map(virtualKeyView) },
  }));

  adminRoute(routes, 'POST', '/api/virtual-keys', async (request) => {
    const input = await request.body(virtualKeySchema);
    checkReferences(service, input);
    const id = input.id ?? newId('vk');
    if (service.state.keysById.has(id)) throw conflict(`A virtual key with id "${id}" exists.`);
    const value = input.value ?? generateVirtualKey();
    if (service.state.keysByHash.has(hashVirtualKey(value)))
      throw conflict('Another virtual key has this value.');
    const record = virtualKeyRecord({ ...input, value }, 'api', new Date().toISOString(), id);
    await service.put('virtual-key', record);
    return { status: 201, body: { ...virtualKeyView(find(service, id)), value } };
  });

  adminRoute(routes, 'GET', '/api/virtual-keys/:id', (request) => ({
    body: virtualKeyView(find(service, request.params.id!)),
  }));

  adminRoute(routes, 'PATCH', '/api/virtual-keys/:id', async (request) => {
    const key = find(service, request.params.id!);
    assertWritable(key, `The virtual key "${key.name}"`);
    const patch = await request.body(virtualKeyPatchSchema);
    checkReferences(service, patch);
    const next = applyPatch(key, patch, { team: 'teamId', customer: 'customerId' });
    if (next.teamId !== undefined && next.customerId !== undefined) {
      throw badRequest(
        'A key belongs to a team or directly to a customer, not both (set the other to null).',
        patch.team ? 'team' : 'customer',
      );
    }
    if (next.expiresAt !== undefined) next.expiresAt = new Date(next.expiresAt).toISOString();
    await service.put('virtual-key', next);
    return { body: virtualKeyView(find(service, key.id)) };
  });

  adminRoute(routes, 'POST', '/api/virtual-keys/:id/rotate', async (request) => {
    const key = find(service, request.params.id!);
    assertWritable(key, `The virtual key "${key.name}"`);
    const value = generateVirtualKey();
    await service.put('virtual-key', {
      ...key,
      keyHash: hashVirtualKey(value),
      keyHint: virtualKeyHint(value),
      updatedAt: new Date().toISOString(),
    });
    return { body: { ...virtualKeyView(find(service, key.id)), value } };
  });

  adminRoute(routes, 'DELETE', '/api/virtual-keys/:id', async (request) => {
    const key = find(service, request.params.id!);
    assertWritable(key, `The virtual key "${key.name}"`);
    await service.remove('virtual-key', [key.id]);
    return { body: { id: key.id, deleted: true } };
  });

  adminRoute(routes, 'GET', '/api/virtual-keys/:id/usage', async (request) => {
    const resolved = service.state.keysById.get(request.params.id!);
    if (resolved === undefined) throw notFound(`The virtual key "${request.params.id}"`);
    const state = service.state;
    const key = await subjectUsage(
      service,
      state.subjectFor('virtual-key', resolved.key.id)!,
      resolved.key.name,
    );
    const team =
      resolved.team === undefined
        ? null
        : await subjectUsage(service, state.subjectFor('team', resolved.team.id)!, resolved.team.name);
    const customer =
      resolved.customer === undefined
        ? null
        : await subjectUsage(
            service,
            state.subjectFor('customer', resolved.customer.id)!,
            resolved.customer.name,
          );
    return { body: { virtualKey: key, team, customer } };
  });
}
