import Anthropic from '@anthropic-ai/sdk';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixGateway, type MatrixGateway } from './matrix-gateway.js';
import { PROVIDERS, VERTEX_MODELS } from './provider-table.js';

/*
 * Model lists and token counts, per surface and in each surface's own shape, wherever a client
 * asks for them — the plain surfaces and the framework mounts:
 *
 * - GET .../models: OpenAI's list (`object: "list"`, entries `object: "model"`, `owned_by`) for
 *   OpenAI clients; Anthropic's (`type: "model"`, `display_name`, `created_at`, `has_more`,
 *   `first_id`/`last_id`) for Anthropic clients — at /{mount}/v1/models the client's
 *   `anthropic-version` header picks. Every listing holds the same models.
 * - POST .../messages/count_tokens (Anthropic's surface; OpenAI chat completions has no such
 *   endpoint): asked of providers that have one (Anthropic, Claude on Vertex), estimated with the
 *   o200k_base tokenizer for the others, and the response header says which.
 */

interface ModelListing {
  name: string;
  /** Ids through the SDK's own pagination, and the raw first page for the shape. */
  list(gatewayUrl: string): Promise<{ ids: string[]; page: Record<string, any> }>;
  retrieve(gatewayUrl: string, id: string): Promise<Record<string, any>>;
  shape: 'openai' | 'anthropic';
}

const openAiListing = (base: string): ModelListing => ({
  name: `OpenAI SDK at ${base}`,
  shape: 'openai',
  async list(url) {
    const client = new OpenAI({ baseURL: `${url}${base}`, apiKey: 'client', maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return { ids, page: (await (await fetch(`${url}${base}/models`, { headers: { authorization: 'Bearer client' } })).json()) as Record<string, any> };
  },
  retrieve: async (url, id) => (await new OpenAI({ baseURL: `${url}${base}`, apiKey: 'client', maxRetries: 0 }).models.retrieve(id)) as unknown as Record<string, any>,
});

const anthropicListing = (base: string): ModelListing => ({
  name: `Anthropic SDK at ${base}`,
  shape: 'anthropic',
  async list(url) {
    const client = new Anthropic({ baseURL: `${url}${base}`, apiKey: 'client', maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    const page = await fetch(`${url}${base}/v1/models`, { headers: { 'x-api-key': 'client', 'anthropic-version': '2023-06-01' } });
    return { ids, page: (await page.json()) as Record<string, any> };
  },
  retrieve: async (url, id) => (await new Anthropic({ baseURL: `${url}${base}`, apiKey: 'client', maxRetries: 0 }).models.retrieve(id)) as unknown as Record<string, any>,
});

const LISTINGS: ModelListing[] = [
  openAiListing('/v1'),
  openAiListing('/openai/v1'),
  // LiteLLM's get_models asks {api_base}/v1/models; the OpenAI SDK given {gateway}/litellm asks /litellm/models.
  openAiListing('/litellm'),
  openAiListing('/litellm/v1'),
  openAiListing('/langchain'),
  openAiListing('/langchain/v1'),
  anthropicListing('/anthropic'),
  anthropicListing('/litellm'),
  anthropicListing('/langchain'),
];

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(PROVIDERS);
  gateway.mocks.get('anthropic')!.on('POST', '/v1/messages/count_tokens', { status: 200, body: JSON.stringify({ input_tokens: 42 }) });
  gateway.mocks.get('anthropic-canonical')!.on('POST', '/v1/messages/count_tokens', { status: 200, body: JSON.stringify({ input_tokens: 42 }) });
  gateway.mocks.get('vertex')!.on('POST', `${VERTEX_MODELS}/count-tokens:rawPredict`, { status: 200, body: JSON.stringify({ input_tokens: 42 }) });
});
afterAll(async () => {
  await gateway?.close();
});

describe('models, per surface in its own shape', () => {
  let reference: string[] | undefined;

  for (const listing of LISTINGS) {
    it(`${listing.name}: list and retrieve`, async () => {
      const { ids, page } = await listing.list(gateway.url);
      expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4o', 'mistral/mistral-small-latest', 'anthropic/claude-sonnet-4-5']));
      reference ??= ids;
      expect(ids).toEqual(reference);
      const one = await listing.retrieve(gateway.url, 'anthropic/claude-sonnet-4-5');
      if (listing.shape === 'openai') {
        expect(page).toMatchObject({ object: 'list' });
        // OpenAI's four fields, plus the catalog's facts (context window, prices) where known.
        expect(page.data[0]).toMatchObject({ id: expect.any(String), object: 'model', created: expect.any(Number), owned_by: expect.any(String) });
        expect(one).toMatchObject({ id: 'anthropic/claude-sonnet-4-5', object: 'model', owned_by: 'anthropic' });
      } else {
        expect(page).toMatchObject({ has_more: false, first_id: ids[0], last_id: ids.at(-1) });
        expect(page.data[0]).toEqual({ id: expect.any(String), type: 'model', display_name: expect.any(String), created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
        expect(one).toMatchObject({ id: 'anthropic/claude-sonnet-4-5', type: 'model' });
      }
    });
  }

  it('an unknown model is a NotFoundError in each shape', async () => {
    await expect(new OpenAI({ baseURL: `${gateway.url}/litellm/v1`, apiKey: 'c', maxRetries: 0 }).models.retrieve('nobody/nothing')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const error = await new Anthropic({ baseURL: `${gateway.url}/langchain`, apiKey: 'c', maxRetries: 0 }).models.retrieve('nobody/nothing').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});

describe('count_tokens wherever the Anthropic surface is mounted', () => {
  const encoder = new Tiktoken(o200k);
  const TEXT = 'What is the weather in San Francisco today, and should I bring an umbrella?';
  // One user message: its text under o200k_base plus the per-message overhead of 4.
  const ESTIMATE = encoder.encode(TEXT).length + 4;
  const COUNTED: Record<string, number> = { anthropic: 42, 'anthropic-canonical': 42, vertex: 42 };

  for (const base of ['/anthropic', '/litellm', '/langchain']) {
    for (const provider of PROVIDERS) {
      const counted = COUNTED[provider.id];
      it(`${base} → ${provider.id}: ${counted === undefined ? 'estimated locally' : 'asked of the provider'}`, async () => {
        const mock = gateway.mocks.get(provider.id)!;
        const before = mock.requests.length;
        const client = new Anthropic({ baseURL: `${gateway.url}${base}`, apiKey: 'client', maxRetries: 0 });
        const { data, response } = await client.messages.countTokens({ model: `${provider.id}/${provider.model}`, messages: [{ role: 'user', content: TEXT }] }).withResponse();
        expect(data).toEqual({ input_tokens: counted ?? ESTIMATE });
        expect(response.headers.get('x-switchyard-token-count')).toBe(counted === undefined ? 'estimated' : 'provider');
        expect(mock.requests.length - before).toBe(counted === undefined ? 0 : 1);
      });
    }
  }
});
