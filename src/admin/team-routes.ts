import type { TeamRecord } from '../governance/entities.js';
import { teamRecord } from '../governance/config-seed.js';
import { teamSchema } from '../governance/governance-schema.js';
import type { GovernanceService } from '../governance/governance-service.js';
import type { RouteTable } from '../server/route-table.js';
import { adminRoute, conflict, notFound } from './admin-http.js';
import { teamPatchSchema } from './admin-schemas.js';
import { applyPatch, assertWritable, checkReferences, newId } from './entity-helpers.js';
import { teamView } from './governance-views.js';
import { subjectUsage } from './usage-views.js';

function find(service: GovernanceService, id: string): TeamRecord {
  const team = service.state.teams.get(id);
  if (team === undefined) throw notFound(`The team "${id}"`);
  return team;
}

/** /api/teams: list, create, read, update, delete (when no key is in it), usage. */
export function registerTeamRoutes(routes: RouteTable, service: GovernanceService): void {
  adminRoute(routes, 'GET', '/api/teams', () => ({ body: { data: service.state.data.teams.map(teamView) } }));

  adminRoute(routes, 'POST', '/api/teams', async (request) => {
    const input = await request.body(teamSchema);
    checkReferences(service, { customer: input.customer });
    const id = input.id ?? newId('team');
    if (service.state.teams.has(id)) throw conflict(`A team with id "${id}" exists.`);
    await service.put('team', teamRecord(input, 'api', new Date().toISOString(), id));
    return { status: 201, body: teamView(find(service, id)) };
  });

  adminRoute(routes, 'GET', '/api/teams/:id', (request) => ({
    body: teamView(find(service, request.params.id!)),
  }));

  adminRoute(routes, 'PATCH', '/api/teams/:id', async (request) => {
    const team = find(service, request.params.id!);
    assertWritable(team, `The team "${team.name}"`);
    const patch = await request.body(teamPatchSchema);
    checkReferences(service, { customer: patch.customer });
    await service.put('team', applyPatch(team, patch, { customer: 'customerId' }));
    return { body: teamView(find(service, team.id)) };
  });

  adminRoute(routes, 'DELETE', '/api/teams/:id', async (request) => {
    const team = find(service, request.params.id!);
    assertWritable(team, `The team "${team.name}"`);
    const keys = service.state.data.virtualKeys.filter((key) => key.teamId === team.id).length;
    if (keys > 0)
      throw conflict(
        `The team "${team.name}" still has ${keys} virtual key${keys === 1 ? '' : 's'}; delete or move them first.`,
      );
    await service.remove('team', [team.id]);
    return { body: { id: team.id, deleted: true } };
  });

  adminRoute(routes, 'GET', '/api/teams/:id/usage', async (request) => {
    const team = find(service, request.params.id!);
    return { body: await subjectUsage(service, service.state.subjectFor('team', team.id)!, team.name) };
  });
}
