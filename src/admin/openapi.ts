import { z } from 'zod';
import {
  budgetSchema,
  customerSchema,
  rateLimitSchema,
  teamSchema,
  virtualKeySchema,
} from '../governance/governance-schema.js';
import { VERSION } from '../version.js';
import {
  budgetsBodySchema,
  customerPatchSchema,
  providerCreateSchema,
  providerKeyPatchSchema,
  providerKeySchema,
  providerPatchSchema,
  rateLimitsBodySchema,
  teamPatchSchema,
  virtualKeyPatchSchema,
} from './admin-schemas.js';

/*
 * The OpenAPI 3.1 document of the admin API. Request bodies come from the zod schemas the API
 * validates with, so the document cannot drift from the code; docs/admin-api.openapi.json is
 * this document, committed (a test keeps them equal).
 */

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType): Json {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const list = (name: string): Json => ({
  type: 'object',
  properties: { data: { type: 'array', items: ref(name) } },
  required: ['data'],
});

const access = {
  models: { type: 'array', items: { type: 'string' } },
  denyModels: { type: 'array', items: { type: 'string' } },
  providers: { type: 'array', items: { type: 'string' } },
  denyProviders: { type: 'array', items: { type: 'string' } },
};

const stamped = {
  source: {
    type: 'string',
    enum: ['config', 'api'],
    description: 'config: declared in the config file, read-only here',
  },
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
};

const limits = {
  budget: { type: 'array', items: ref('Budget') },
  rateLimit: { type: 'array', items: ref('RateLimit') },
  metadata: { type: 'object', additionalProperties: { type: 'string' } },
};

const nullableId = { type: ['string', 'null'] };

const SCHEMAS: Json = {
  Error: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' }, param: { type: 'string' } },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  },
  Budget: schemaOf(budgetSchema),
  RateLimit: schemaOf(rateLimitSchema),
  VirtualKey: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      keyHint: { type: 'string', description: 'the first and last characters of the secret' },
      team: nullableId,
      customer: nullableId,
      ...access,
      ...limits,
      expiresAt: { type: ['string', 'null'], format: 'date-time' },
      active: { type: 'boolean' },
      ...stamped,
    },
  },
  NewVirtualKey: {
    allOf: [
      ref('VirtualKey'),
      {
        type: 'object',
        properties: { value: { type: 'string', description: 'the secret; shown in this answer only' } },
        required: ['value'],
      },
    ],
  },
  Team: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      customer: nullableId,
      ...access,
      ...limits,
      ...stamped,
    },
  },
  Customer: {
    type: 'object',
    properties: { id: { type: 'string' }, name: { type: 'string' }, ...access, ...limits, ...stamped },
  },
  ProviderKey: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      weight: { type: 'number' },
      models: { type: ['array', 'null'], items: { type: 'string' } },
      hint: {
        type: 'string',
        description: 'the last 4 characters of the key; the key itself is never returned',
      },
      source: { type: 'string', enum: ['config', 'api'] },
    },
  },
  Provider: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      type: { type: 'string' },
      source: { type: 'string', enum: ['config', 'api'] },
      baseUrl: { type: 'string' },
      models: { type: 'array', items: { type: 'string' } },
      passthrough: { type: 'boolean' },
      headers: {
        type: 'object',
        additionalProperties: { type: 'string' },
        description: 'header names; values are redacted',
      },
      keys: { type: 'array', items: ref('ProviderKey') },
    },
  },
  Usage: {
    type: 'object',
    properties: {
      scope: { type: 'string', enum: ['virtual-key', 'team', 'customer', 'provider'] },
      id: { type: 'string' },
      name: { type: 'string' },
      budgets: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            usd: { type: 'number' },
            period: { type: ['string', 'null'] },
            calendar: { type: 'boolean' },
            windowStart: { type: ['string', 'null'], format: 'date-time' },
            resetsAt: { type: ['string', 'null'], format: 'date-time' },
            spentUsd: { type: 'number' },
            reservedUsd: { type: 'number', description: 'held by requests in flight' },
            remainingUsd: { type: 'number' },
          },
        },
      },
      rateLimits: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            per: { type: 'string' },
            requests: ref('RateState'),
            tokens: ref('RateState'),
          },
        },
      },
    },
  },
  RateState: {
    type: 'object',
    properties: {
      limit: { type: 'integer' },
      remaining: { type: 'integer' },
      resetMs: { type: 'integer', description: 'until the limit is full again' },
    },
  },
  KeyUsage: {
    type: 'object',
    properties: {
      virtualKey: ref('Usage'),
      team: { anyOf: [ref('Usage'), { type: 'null' }] },
      customer: { anyOf: [ref('Usage'), { type: 'null' }] },
    },
  },
  Deleted: { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } },
  VirtualKeyCreate: schemaOf(virtualKeySchema),
  VirtualKeyUpdate: schemaOf(virtualKeyPatchSchema),
  TeamCreate: schemaOf(teamSchema),
  TeamUpdate: schemaOf(teamPatchSchema),
  CustomerCreate: schemaOf(customerSchema),
  CustomerUpdate: schemaOf(customerPatchSchema),
  ProviderCreate: {
    ...schemaOf(providerCreateSchema),
    description:
      'A provider entry as in the config file (type, baseUrl, headers, timeouts, models, passthrough, keys, type-specific fields), plus its id.',
  },
  ProviderUpdate: {
    ...schemaOf(providerPatchSchema),
    description: 'Provider fields to replace; null removes one. Not id, type or keys.',
  },
  ProviderKeyCreate: {
    ...schemaOf(providerKeySchema),
    description:
      'A key as in the config file: name, value (write-only), weight, models, type-specific fields.',
  },
  ProviderKeyUpdate: {
    ...schemaOf(providerKeyPatchSchema),
    description: 'Key fields to replace (value included); null removes one.',
  },
  Budgets: schemaOf(budgetsBodySchema),
  RateLimits: schemaOf(rateLimitsBodySchema),
};

const errors = (...statuses: number[]): Json =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: ERROR_TEXT[status] ?? 'error',
        content: { 'application/json': { schema: ref('Error') } },
      },
    ]),
  );

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid body',
  401: 'missing or wrong admin key',
  404: 'no such object',
  409: 'conflict: exists, still referenced, or declared in the config file (read-only)',
  503: 'the config store or the counters are unavailable',
};

const ok = (schema: Json, status = 200, description = 'ok'): Json => ({
  [String(status)]: { description, content: { 'application/json': { schema } } },
});
const body = (name: string): Json => ({
  required: true,
  content: { 'application/json': { schema: ref(name) } },
});
const idParam = (name = 'id'): Json => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const scopeParam: Json = {
  name: 'scope',
  in: 'path',
  required: true,
  schema: { type: 'string', enum: ['virtual-keys', 'teams', 'customers', 'providers'] },
};

function crud(
  tag: string,
  base: string,
  single: string,
  createName: string,
  updateName: string,
  extra: Json = {},
): Json {
  return {
    [base]: {
      get: {
        tags: [tag],
        summary: `List ${tag.toLowerCase()}`,
        responses: { ...ok(list(single)), ...errors(401) },
      },
      post: {
        tags: [tag],
        summary: `Create a ${single}`,
        requestBody: body(createName),
        responses: {
          ...ok(ref(extra.created === undefined ? single : String(extra.created)), 201),
          ...errors(400, 401, 409, 503),
        },
      },
    },
    [`${base}/{id}`]: {
      parameters: [idParam()],
      get: {
        tags: [tag],
        summary: `Read a ${single}`,
        responses: { ...ok(ref(single)), ...errors(401, 404) },
      },
      patch: {
        tags: [tag],
        summary: `Update a ${single}`,
        requestBody: body(updateName),
        responses: { ...ok(ref(single)), ...errors(400, 401, 404, 409, 503) },
      },
      delete: {
        tags: [tag],
        summary: `Delete a ${single}`,
        responses: { ...ok(ref('Deleted')), ...errors(401, 404, 409, 503) },
      },
    },
  };
}

export function adminOpenApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard admin API',
      version: VERSION,
      description:
        'Providers, provider keys, virtual keys, customers, teams, budgets, rate limits and usage. Every route needs Authorization: Bearer <admin key> (SWITCHYARD_ADMIN_KEY, or the key generated into the data directory). See docs/governance.md.',
    },
    security: [{ adminKey: [] }],
    paths: {
      '/api/openapi.json': {
        get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
      ...crud('Virtual keys', '/api/virtual-keys', 'VirtualKey', 'VirtualKeyCreate', 'VirtualKeyUpdate', {
        created: 'NewVirtualKey',
      }),
      '/api/virtual-keys/{id}/rotate': {
        parameters: [idParam()],
        post: {
          tags: ['Virtual keys'],
          summary: 'Replace the secret; the old one stops working at once',
          responses: { ...ok(ref('NewVirtualKey')), ...errors(401, 404, 409, 503) },
        },
      },
      '/api/virtual-keys/{id}/usage': {
        parameters: [idParam()],
        get: {
          tags: ['Usage'],
          summary: 'Remaining budgets and rate-limit state of a key, its team and its customer',
          responses: { ...ok(ref('KeyUsage')), ...errors(401, 404, 503) },
        },
      },
      ...crud('Teams', '/api/teams', 'Team', 'TeamCreate', 'TeamUpdate'),
      '/api/teams/{id}/usage': {
        parameters: [idParam()],
        get: {
          tags: ['Usage'],
          summary: 'Budgets and rate limits of a team',
          responses: { ...ok(ref('Usage')), ...errors(401, 404, 503) },
        },
      },
      ...crud('Customers', '/api/customers', 'Customer', 'CustomerCreate', 'CustomerUpdate'),
      '/api/customers/{id}/usage': {
        parameters: [idParam()],
        get: {
          tags: ['Usage'],
          summary: 'Budgets and rate limits of a customer',
          responses: { ...ok(ref('Usage')), ...errors(401, 404, 503) },
        },
      },
      ...crud('Providers', '/api/providers', 'Provider', 'ProviderCreate', 'ProviderUpdate'),
      '/api/providers/{id}/keys': {
        parameters: [idParam()],
        get: {
          tags: ['Providers'],
          summary: 'Keys of a provider (hints only)',
          responses: { ...ok(list('ProviderKey')), ...errors(401, 404) },
        },
        post: {
          tags: ['Providers'],
          summary: 'Add a key (stored encrypted)',
          requestBody: body('ProviderKeyCreate'),
          responses: {
            ...ok({ type: 'array', items: ref('ProviderKey') }, 201),
            ...errors(400, 401, 404, 409, 503),
          },
        },
      },
      '/api/providers/{id}/keys/{name}': {
        parameters: [idParam(), idParam('name')],
        patch: {
          tags: ['Providers'],
          summary: 'Change a key',
          requestBody: body('ProviderKeyUpdate'),
          responses: {
            ...ok({ type: 'array', items: ref('ProviderKey') }),
            ...errors(400, 401, 404, 409, 503),
          },
        },
        delete: {
          tags: ['Providers'],
          summary: 'Delete a key',
          responses: { ...ok(ref('Deleted')), ...errors(401, 404, 409, 503) },
        },
      },
      '/api/budgets': {
        get: {
          tags: ['Budgets'],
          summary: 'Every budget with its current window and spend',
          responses: { ...ok(list('Usage')), ...errors(401, 503) },
        },
      },
      '/api/budgets/{scope}/{id}': {
        parameters: [scopeParam, idParam()],
        put: {
          tags: ['Budgets'],
          summary: 'Replace the budgets of a key, team, customer or provider',
          requestBody: body('Budgets'),
          responses: { ...ok(ref('Usage')), ...errors(400, 401, 404, 409, 503) },
        },
        delete: {
          tags: ['Budgets'],
          summary: 'Remove its budgets',
          responses: { ...ok({ type: 'object' }), ...errors(401, 404, 409, 503) },
        },
      },
      '/api/rate-limits': {
        get: {
          tags: ['Rate limits'],
          summary: 'Every rate limit with its current state',
          responses: { ...ok(list('Usage')), ...errors(401, 503) },
        },
      },
      '/api/rate-limits/{scope}/{id}': {
        parameters: [scopeParam, idParam()],
        put: {
          tags: ['Rate limits'],
          summary: 'Replace the rate limits of a key, team, customer or provider',
          requestBody: body('RateLimits'),
          responses: { ...ok(ref('Usage')), ...errors(400, 401, 404, 409, 503) },
        },
        delete: {
          tags: ['Rate limits'],
          summary: 'Remove its rate limits',
          responses: { ...ok({ type: 'object' }), ...errors(401, 404, 409, 503) },
        },
      },
      '/api/usage/{scope}/{id}': {
        parameters: [scopeParam, idParam()],
        get: {
          tags: ['Usage'],
          summary: 'Remaining budget and rate-limit state of one subject',
          responses: { ...ok(ref('Usage')), ...errors(400, 401, 404, 503) },
        },
      },
    },
    components: {
      securitySchemes: { adminKey: { type: 'http', scheme: 'bearer', description: 'the admin key' } },
      schemas: SCHEMAS,
    },
  };
}
