import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route, RouteTable } from '../../../src/server/route-table.js';
import { startTestGateway, type TestGateway } from '../../helpers/in-process-gateway.js';
import type { MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, startOpenAiMock } from './governance-setup.js';

/*
 * "Routes that bypass governance" as a test: every inference route the gateway has — whichever
 * surfaces are built in — refuses a request without a virtual key (401), and a key whose
 * budget is spent (429), before any upstream call, streaming or not. Routes are read from the
 * route table, so a surface added later is checked without editing this file; a route this file
 * cannot build a request for fails with a message saying what to add.
 */

const KEY = 'sk-sy-spent-0123456789abcdefghijk';

/** Example paths for routes declared as regular expressions. */
const SAMPLE_PATHS = [
  '/genai/v1beta/models/gpt-4o-mini:generateContent',
  '/genai/v1beta/models/gpt-4o-mini:streamGenerateContent',
  '/genai/v1beta/models/gpt-4o-mini:embedContent',
  '/genai/v1beta/models/gpt-4o-mini:batchEmbedContents',
  '/genai/v1beta/models/gpt-4o-mini:countTokens',
  '/genai/v1beta/models',
  '/genai/v1beta/models/gpt-4o-mini',
  '/bedrock/model/gpt-4o-mini/converse',
  '/bedrock/model/gpt-4o-mini/converse-stream',
  '/bedrock/model/gpt-4o-mini/invoke',
  '/bedrock/model/gpt-4o-mini/invoke-with-response-stream',
  '/bedrock/model/gpt-4o-mini/count-tokens',
];

const text = [{ role: 'user', content: 'hi' }];

/** Valid request bodies per surface and operation (the model resolves to the mock's provider). */
const SAMPLE_BODIES: Record<string, Partial<Record<Route['operation'], Array<Record<string, unknown>>>>> = {
  openai: {
    chat: [
      { model: 'gpt-4o-mini', messages: text, max_tokens: 20 },
      { model: 'gpt-4o-mini', messages: text, max_tokens: 20, stream: true },
    ],
    completions: [
      { model: 'gpt-4o-mini', prompt: 'hi', max_tokens: 20 },
      { model: 'gpt-4o-mini', prompt: 'hi', max_tokens: 20, stream: true },
    ],
    embeddings: [{ model: 'text-embedding-3-small', input: 'hi' }],
  },
  anthropic: {
    chat: [
      { model: 'gpt-4o-mini', max_tokens: 20, messages: text },
      { model: 'gpt-4o-mini', max_tokens: 20, messages: text, stream: true },
    ],
  },
  cohere: {
    chat: [
      { model: 'gpt-4o-mini', messages: text, max_tokens: 20 },
      { model: 'gpt-4o-mini', messages: text, max_tokens: 20, stream: true },
    ],
  },
  'openai-responses': {
    chat: [
      { model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 20 },
      { model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 20, stream: true },
    ],
  },
  genai: {
    chat: [
      { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 20 } },
    ],
  },
  bedrock: {
    chat: [{ messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { maxTokens: 20 } }],
  },
};

/** Bodies for routes whose body differs from their surface's usual one for the operation. */
const SAMPLE_BODIES_BY_PATH: Record<string, Array<Record<string, unknown>>> = {
  '/v1/rerank': [{ model: 'gpt-4o-mini', query: 'q', documents: ['a', 'b'] }],
  '/openai/v1/rerank': [{ model: 'gpt-4o-mini', query: 'q', documents: ['a', 'b'] }],
  '/cohere/v2/embed': [{ model: 'text-embedding-3-small', texts: ['hi'], input_type: 'search_document' }],
  '/cohere/v2/rerank': [{ model: 'gpt-4o-mini', query: 'q', documents: ['a', 'b'] }],
  '/genai/v1beta/models/gpt-4o-mini:embedContent': [{ content: { parts: [{ text: 'hi' }] } }],
  '/genai/v1beta/models/gpt-4o-mini:batchEmbedContents': [
    { requests: [{ model: 'models/gpt-4o-mini', content: { parts: [{ text: 'hi' }] } }] },
  ],
  // InvokeModel takes the model's native body: Anthropic Messages (bedrock-2023-05-31).
  '/bedrock/model/gpt-4o-mini/invoke': [{ anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }],
  '/bedrock/model/gpt-4o-mini/invoke-with-response-stream': [
    { anthropic_version: 'bedrock-2023-05-31', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] },
  ],
};

function samples(route: Route, path: string): Array<Record<string, unknown>> | undefined {
  return SAMPLE_BODIES_BY_PATH[path] ?? SAMPLE_BODIES[route.surface.name]?.[route.operation];
}

/** The route table's routes (test-only access to its private fields). */
function allRoutes(routes: RouteTable): Route[] {
  const table = routes as unknown as { literal: Map<string, Route>; patterns: Array<{ route: Route }> };
  return [...table.literal.values(), ...table.patterns.map((pattern) => pattern.route)];
}

function pathFor(route: Route): string | undefined {
  if (typeof route.path === 'string') {
    return route.path
      .split('/')
      .map((segment) => (segment === '*' || segment.startsWith(':') ? 'gpt-4o-mini' : segment))
      .join('/');
  }
  const regexp = route.path;
  return SAMPLE_PATHS.find((sample) => regexp.test(sample));
}

describe('every inference route is governed', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startOpenAiMock();
    gateway = await startTestGateway({
      catalog: { files: [catalogFile()] },
      providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
      virtualKeys: [{ name: 'spent', value: KEY, budget: { usd: 0 } }],
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.stop();
  });

  it('refuses requests without a key (401) and over budget (429) on every surface, before any upstream call', async () => {
    const inference = allRoutes(gateway.gateway.routes).filter((route) => route.operation !== 'other');
    expect(inference.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let budgetChecks = 0;
    for (const route of inference) {
      const path = pathFor(route);
      const label = `${route.method} ${String(route.path)} (${route.surface.name})`;
      if (path === undefined) {
        problems.push(`${label}: no sample path matches this route; add one to SAMPLE_PATHS`);
        continue;
      }
      const sample = samples(route, path)?.[0] ?? {};
      const unauthenticated = await fetch(`${gateway.url}${path}`, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        ...(route.method === 'GET' ? {} : { body: JSON.stringify(sample) }),
      });
      await unauthenticated.arrayBuffer();
      if (
        unauthenticated.status !== 401 ||
        unauthenticated.headers.get('x-switchyard-error-code') !== 'authentication_failed'
      ) {
        problems.push(
          `${label}: without a key answered ${unauthenticated.status} ${unauthenticated.headers.get('x-switchyard-error-code')}`,
        );
      }
      if (route.method === 'GET' || route.operation === 'models' || route.operation === 'count-tokens')
        continue;
      const bodies = samples(route, path);
      if (bodies === undefined) {
        problems.push(`${label}: no sample body for the budget check; add one to SAMPLE_BODIES(_BY_PATH)`);
        continue;
      }
      for (const body of bodies) {
        budgetChecks++;
        const spent = await fetch(`${gateway.url}${path}`, {
          method: route.method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, 'x-api-key': KEY },
          body: JSON.stringify(body),
        });
        await spent.arrayBuffer();
        if (spent.status !== 429 || spent.headers.get('x-switchyard-error-code') !== 'budget_exceeded') {
          problems.push(
            `${label} ${JSON.stringify(body)}: over budget answered ${spent.status} ${spent.headers.get('x-switchyard-error-code')}`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
    expect(budgetChecks).toBeGreaterThanOrEqual(5);
    expect(upstream.requests).toEqual([]);
  });
});
