import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, CountTokensCommand } from '@aws-sdk/client-bedrock-runtime';
import { GoogleGenAI } from '@google/genai';
import { CohereClientV2 } from 'cohere-ai';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedBedrockHandler } from '../../helpers/mock-bedrock.js';
import { startMatrixGateway, type MatrixGateway } from './matrix-gateway.js';
import { BEDROCK_REGION, BEDROCK_SECRETS, PROVIDERS, VERTEX_GEMINI_MODELS, VERTEX_MODELS } from './provider-table.js';

/*
 * Model lists and token counts, per surface and in each surface's own shape, wherever a client
 * asks for them — the plain surfaces and the framework mounts:
 *
 * - GET .../models: OpenAI's list (`object: "list"`, entries `object: "model"`, `owned_by`) for
 *   OpenAI clients; Anthropic's (`type: "model"`, `display_name`, `created_at`, `has_more`,
 *   `first_id`/`last_id`) for Anthropic clients — at /{mount}/v1/models the client's
 *   `anthropic-version` header picks; Google's (`models: [{name: "models/...", displayName,
 *   supportedGenerationMethods}]`) for GenAI clients; Cohere's (`models: [{name, endpoints}]`,
 *   at /cohere/v1/models) for Cohere clients. Every listing holds the same models.
 * - Token counts on every surface that offers them — Anthropic's count_tokens (and under the
 *   mounts), GenAI countTokens, Bedrock CountTokens, the Responses API's input_tokens — for every
 *   provider: asked of providers that have a counting endpoint (Anthropic, Claude on Vertex and
 *   on Bedrock, Bedrock, Gemini, Vertex Gemini), estimated with the o200k_base tokenizer for the
 *   others, and the `x-switchyard-token-count` response header says which. (OpenAI chat
 *   completions and Cohere v2 have no counting call.)
 */

interface ModelListing {
  name: string;
  /** Ids ("provider/model") through the SDK's own pagination, and the raw first page for the shape. */
  list(gatewayUrl: string): Promise<{ ids: string[]; page: Record<string, any> }>;
  retrieve(gatewayUrl: string, id: string): Promise<Record<string, any>>;
  shape: 'openai' | 'anthropic' | 'genai' | 'cohere';
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

const genAi = (url: string) => new GoogleGenAI({ apiKey: 'client', httpOptions: { baseUrl: `${url}/genai`, retryOptions: { attempts: 1 } } });

const genAiListing: ModelListing = {
  name: 'GenAI SDK at /genai',
  shape: 'genai',
  async list(url) {
    const ids: string[] = [];
    for await (const model of await genAi(url).models.list()) ids.push(model.name!.replace(/^models\//, ''));
    return { ids, page: (await (await fetch(`${url}/genai/v1beta/models`, { headers: { 'x-goog-api-key': 'client' } })).json()) as Record<string, any> };
  },
  retrieve: async (url, id) => (await genAi(url).models.get({ model: id })) as unknown as Record<string, any>,
};

const cohere = (url: string) => new CohereClientV2({ token: 'client', environment: `${url}/cohere`, maxRetries: 0 });

const cohereListing: ModelListing = {
  name: 'Cohere SDK at /cohere',
  shape: 'cohere',
  async list(url) {
    const { models } = await cohere(url).models.list();
    return { ids: models.map((model) => model.name!), page: (await (await fetch(`${url}/cohere/v1/models`, { headers: { authorization: 'Bearer client' } })).json()) as Record<string, any> };
  },
  retrieve: async (url, id) => (await cohere(url).models.get(id)) as unknown as Record<string, any>,
};

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
  genAiListing,
  cohereListing,
];

/** What every provider's counting endpoint answers here. */
const PROVIDER_COUNT = 42;

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(PROVIDERS);
  const counted = { status: 200, body: JSON.stringify({ input_tokens: PROVIDER_COUNT }) };
  gateway.mocks.get('anthropic')!.on('POST', '/v1/messages/count_tokens', counted);
  gateway.mocks.get('anthropic-canonical')!.on('POST', '/v1/messages/count_tokens', counted);
  gateway.mocks.get('vertex')!.on('POST', `${VERTEX_MODELS}/count-tokens:rawPredict`, counted);
  const totalTokens = { status: 200, body: JSON.stringify({ totalTokens: PROVIDER_COUNT, promptTokensDetails: [{ modality: 'TEXT', tokenCount: PROVIDER_COUNT }] }) };
  gateway.mocks.get('gemini')!.on('POST', '/v1beta/models/gemini-2.5-flash:countTokens', totalTokens);
  gateway.mocks.get('vertex-gemini')!.on('POST', `${VERTEX_GEMINI_MODELS}/gemini-2.5-flash:countTokens`, totalTokens);
  // Bedrock CountTokens, SigV4-checked like every Bedrock call.
  const bedrockCount = signedBedrockHandler(BEDROCK_SECRETS, () => ({ status: 200, body: JSON.stringify({ inputTokens: PROVIDER_COUNT }) }), BEDROCK_REGION);
  gateway.mocks.get('bedrock')!.on('POST', '/model/us.amazon.nova-micro-v1%3A0/count-tokens', bedrockCount);
  gateway.mocks.get('bedrock-invoke')!.on('POST', '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens', bedrockCount);
});
afterAll(async () => {
  bedrock?.destroy();
  await gateway?.close();
});

describe('models, per surface in its own shape', () => {
  let reference: string[] | undefined;

  for (const listing of LISTINGS) {
    it(`${listing.name}: list and retrieve`, async () => {
      const { ids, page } = await listing.list(gateway.url);
      expect(ids).toEqual(expect.arrayContaining(['openai/gpt-4o', 'mistral/mistral-small-latest', 'anthropic/claude-sonnet-4-5', 'bedrock/us.amazon.nova-pro-v1:0']));
      reference ??= ids;
      expect(ids).toEqual(reference);
      // An id with a slash and a colon (Bedrock) comes back by the name the listing gave.
      expect(JSON.stringify(await listing.retrieve(gateway.url, 'bedrock/us.amazon.nova-pro-v1:0'))).toContain('bedrock/us.amazon.nova-pro-v1:0');
      const one = await listing.retrieve(gateway.url, 'anthropic/claude-sonnet-4-5');
      switch (listing.shape) {
        case 'openai':
          expect(page).toMatchObject({ object: 'list' });
          // OpenAI's four fields, plus the catalog's facts (context window, prices) where known.
          expect(page.data[0]).toMatchObject({ id: expect.any(String), object: 'model', created: expect.any(Number), owned_by: expect.any(String) });
          expect(one).toMatchObject({ id: 'anthropic/claude-sonnet-4-5', object: 'model', owned_by: 'anthropic' });
          break;
        case 'anthropic':
          expect(page).toMatchObject({ has_more: false, first_id: ids[0], last_id: ids.at(-1) });
          expect(page.data[0]).toEqual({ id: expect.any(String), type: 'model', display_name: expect.any(String), created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
          expect(one).toMatchObject({ id: 'anthropic/claude-sonnet-4-5', type: 'model' });
          break;
        case 'genai':
          // Names a GenAI client passes straight back to generateContent.
          expect(page.models[0]).toMatchObject({ name: expect.stringMatching(/^models\/[^/]+\/.+/), displayName: expect.any(String), supportedGenerationMethods: expect.arrayContaining(['generateContent']) });
          // The SDK shows supportedGenerationMethods as supportedActions.
          expect(one).toMatchObject({ name: 'models/anthropic/claude-sonnet-4-5', supportedActions: ['generateContent', 'streamGenerateContent', 'countTokens'] });
          break;
        case 'cohere':
          expect(page.models[0]).toMatchObject({ name: expect.any(String), endpoints: expect.any(Array), finetuned: false });
          expect(one).toMatchObject({ name: 'anthropic/claude-sonnet-4-5', endpoints: ['chat'] });
          break;
      }
    });
  }

  it('an unknown model is a NotFoundError in each shape', async () => {
    await expect(new OpenAI({ baseURL: `${gateway.url}/litellm/v1`, apiKey: 'c', maxRetries: 0 }).models.retrieve('nobody/nothing')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const error = await new Anthropic({ baseURL: `${gateway.url}/langchain`, apiKey: 'c', maxRetries: 0 }).models.retrieve('nobody/nothing').catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    await expect(genAi(gateway.url).models.get({ model: 'nobody/nothing' })).rejects.toMatchObject({ status: 404 });
    await expect(cohere(gateway.url).models.get('nobody/nothing')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('Cohere: the list filters by endpoint and pages', async () => {
    const { models } = await cohere(gateway.url).models.list({ endpoint: 'chat', pageSize: 3 });
    expect(models).toHaveLength(3);
    const page = (await (await fetch(`${gateway.url}/cohere/v1/models?page_size=3`)).json()) as { next_page_token?: string };
    expect(page.next_page_token).toBe('3');
  });
});

let bedrock: BedrockRuntimeClient | undefined;

/** One surface's token counting call, as its SDK makes it. */
interface TokenCounter {
  name: string;
  count(gatewayUrl: string, model: string, text: string): Promise<{ tokens: number | undefined; source: string | null | undefined }>;
}

const anthropicCounter = (base: string): TokenCounter => ({
  name: `Anthropic count_tokens at ${base}`,
  async count(url, model, text) {
    const client = new Anthropic({ baseURL: `${url}${base}`, apiKey: 'client', maxRetries: 0 });
    const { data, response } = await client.messages.countTokens({ model, messages: [{ role: 'user', content: text }] }).withResponse();
    return { tokens: data.input_tokens, source: response.headers.get('x-switchyard-token-count') };
  },
});

const responsesCounter = (base: string): TokenCounter => ({
  name: `Responses input_tokens at ${base}`,
  async count(url, model, text) {
    const client = new OpenAI({ baseURL: `${url}${base}`, apiKey: 'client', maxRetries: 0 });
    const { data, response } = await client.responses.inputTokens.count({ model, input: text }).withResponse();
    expect(data.object).toBe('response.input_tokens');
    return { tokens: data.input_tokens, source: response.headers.get('x-switchyard-token-count') };
  },
});

const COUNTERS: TokenCounter[] = [
  anthropicCounter('/anthropic'),
  anthropicCounter('/litellm'),
  anthropicCounter('/langchain'),
  {
    name: 'GenAI countTokens',
    async count(url, model, text) {
      const answer = await genAi(url).models.countTokens({ model, contents: text });
      return { tokens: answer.totalTokens, source: answer.sdkHttpResponse?.headers?.['x-switchyard-token-count'] };
    },
  },
  {
    name: 'Bedrock CountTokens',
    async count(url, modelId, text) {
      if (bedrock === undefined) {
        bedrock = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: `${url}/bedrock`, credentials: { accessKeyId: 'AKIACLIENT', secretAccessKey: 'unused' }, maxAttempts: 1 });
        // The AWS SDK keeps no response headers on its outputs: read the one we need on the way.
        bedrock.middlewareStack.add(
          (next) => async (args) => {
            const result = await next(args);
            bedrockSource = (result.response as { headers?: Record<string, string> }).headers?.['x-switchyard-token-count'];
            return result;
          },
          { step: 'deserialize', name: 'readTokenCountSource' },
        );
      }
      const answer = await bedrock.send(new CountTokensCommand({ modelId, input: { converse: { messages: [{ role: 'user', content: [{ text }] }] } } }));
      return { tokens: answer.inputTokens, source: bedrockSource };
    },
  },
  responsesCounter('/v1'),
  responsesCounter('/langchain/v1'),
];

let bedrockSource: string | undefined;

/** Providers with a counting endpoint (the others are estimated). */
const COUNTING_PROVIDERS = new Set(['anthropic', 'anthropic-canonical', 'vertex', 'bedrock', 'bedrock-invoke', 'gemini', 'vertex-gemini']);

describe('token counts on every surface that counts, for every provider', () => {
  const encoder = new Tiktoken(o200k);
  const TEXT = 'What is the weather in San Francisco today, and should I bring an umbrella?';
  // One user message: its text under o200k_base plus the per-message overhead of 4.
  const ESTIMATE = encoder.encode(TEXT).length + 4;

  for (const counter of COUNTERS) {
    describe(counter.name, () => {
      for (const provider of PROVIDERS) {
        const counted = COUNTING_PROVIDERS.has(provider.id);
        it(`→ ${provider.id}: ${counted ? 'asked of the provider' : 'estimated locally'}`, async () => {
          const mock = gateway.mocks.get(provider.id)!;
          const before = mock.requests.length;
          const answer = await counter.count(gateway.url, `${provider.id}/${provider.model}`, TEXT);
          expect(answer).toEqual({ tokens: counted ? PROVIDER_COUNT : ESTIMATE, source: counted ? 'provider' : 'estimated' });
          const sent = mock.requests.slice(before);
          expect(sent).toHaveLength(counted ? 1 : 0);
          // The provider was asked about this request, in its own terms.
          if (counted) expect(sent[0]!.body).toContain(TEXT);
        });
      }
    });
  }
});
