import type { z } from 'zod';
import type { CustomerInput, TeamInput, VirtualKeyInput } from './governance-schema.js';

interface GovernanceSections {
  customers: CustomerInput[];
  teams: TeamInput[];
  virtualKeys: VirtualKeyInput[];
}

/**
 * Cross-checks the config file's governance sections: ids (default: the name) and key values
 * are unique, and teams and keys name customers and teams declared in the same file.
 */
export function checkGovernanceReferences(config: GovernanceSections, context: z.core.$RefinementCtx): void {
  const unique = (
    section: keyof GovernanceSections,
    values: Array<string | undefined>,
    field: string,
  ): Set<string> => {
    const seen = new Set<string>();
    values.forEach((value, index) => {
      if (value === undefined) return;
      if (seen.has(value))
        context.addIssue({
          code: 'custom',
          path: [section, index, field],
          message: `duplicate ${field} "${value}"`,
        });
      seen.add(value);
    });
    return seen;
  };
  const customers = unique(
    'customers',
    config.customers.map((customer) => customer.id ?? customer.name),
    'id',
  );
  const teams = unique(
    'teams',
    config.teams.map((team) => team.id ?? team.name),
    'id',
  );
  unique(
    'virtualKeys',
    config.virtualKeys.map((key) => key.id ?? key.name),
    'id',
  );
  unique(
    'virtualKeys',
    config.virtualKeys.map((key) => key.name),
    'name',
  );
  const values = new Set<string>();
  config.virtualKeys.forEach((key, index) => {
    if (key.value === undefined)
      context.addIssue({
        code: 'custom',
        path: ['virtualKeys', index, 'value'],
        message: 'required (e.g. env.TEAM_A_KEY)',
      });
    else if (values.has(key.value))
      context.addIssue({
        code: 'custom',
        path: ['virtualKeys', index, 'value'],
        message: 'two keys have the same value',
      });
    else values.add(key.value);
    if (key.team !== undefined && !teams.has(key.team)) {
      context.addIssue({
        code: 'custom',
        path: ['virtualKeys', index, 'team'],
        message: `no team "${key.team}" in teams`,
      });
    }
    if (key.customer !== undefined && !customers.has(key.customer)) {
      context.addIssue({
        code: 'custom',
        path: ['virtualKeys', index, 'customer'],
        message: `no customer "${key.customer}" in customers`,
      });
    }
  });
  config.teams.forEach((team, index) => {
    if (team.customer !== undefined && !customers.has(team.customer)) {
      context.addIssue({
        code: 'custom',
        path: ['teams', index, 'customer'],
        message: `no customer "${team.customer}" in customers`,
      });
    }
  });
}
