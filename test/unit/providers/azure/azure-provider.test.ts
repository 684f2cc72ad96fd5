import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, StreamEvent } from '../../../../src/core/index.js';
import { decodeOpenAiChatRequest } from '../../../../src/api/openai/decode-chat-request.js';
import { providersFromEnvironment } from '../../../../src/config/env-providers.js';
import { AzureChatStreamDecoder } from '../../../../src/providers/azure/azure-chat-stream-decoder.js';
import { readFixture, readFixtureJson, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { decodeSse } from '../../../helpers/decode-stream.js';
import { summarise } from '../openai-responses/decode-stream.js';
import { callContext, providerFromConfig, upstreamRequest } from '../openai-responses/provider-from-config.js';

const ENDPOINT = 'https://my-resource.openai.azure.com';
const azure = providerFromConfig('azure', {
  baseUrl: ENDPOINT,
  deployments: { 'gpt-4o-mini': 'prod-4o-mini', 'gpt-4o': 'gpt4o-eastus' },
  keys: [{ value: 'azure-key-secret' }],
});
const hello: ChatRequest = { model: 'gpt-4o-mini', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] };

describe('Azure OpenAI requests', () => {
  it('deployment URL with the GA api-version and the api-key header', async () => {
    expect(await upstreamRequest(azure, hello)).toMatchInlineSnapshot(`
      {
        "body": {
          "messages": [
            {
              "content": "Hello",
              "role": "user",
            },
          ],
          "model": "prod-4o-mini",
        },
        "headers": {
          "accept": "application/json",
          "api-key": "<redacted>",
          "content-type": "application/json",
        },
        "url": "POST https://my-resource.openai.azure.com/openai/deployments/prod-4o-mini/chat/completions?api-version=2024-10-21",
        "warnings": [],
      }
    `);
  });

  it('recorded client requests (Azure chat fixtures) go to the mapped deployment', async () => {
    for (const [name, model] of [
      ['azure-openai/chat-content-filter-results.request.json', 'gpt-35-turbo'],
      ['azure-openai/chat-protected-material-filters.request.json', 'gpt-4o'],
      ['azure-openai/chat-stream-content-filter-results.request.json', 'gpt-4o-mini'],
    ] as const) {
      const recorded = readFixtureJson<Record<string, unknown>>(name);
      const { request } = decodeOpenAiChatRequest(recorded);
      const built = await upstreamRequest(azure, request, model);
      const deployment = model === 'gpt-35-turbo' ? 'gpt-35-turbo' : model === 'gpt-4o' ? 'gpt4o-eastus' : 'prod-4o-mini';
      expect(built.url).toBe(`POST ${ENDPOINT}/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`);
      const body = built.body as Record<string, unknown>;
      expect(body.model).toBe(deployment);
      expect(body.messages).toEqual(recorded.messages);
      if (recorded.max_tokens !== undefined) expect(body.max_completion_tokens).toBe(recorded.max_tokens);
      if (recorded.stream === true) expect(body.stream_options).toEqual({ include_usage: true });
      expect(built.warnings).toEqual([]);
    }
  });

  it('the v1 API form, a static Entra bearer token, and the Responses API on /openai/v1/responses', async () => {
    const v1 = providerFromConfig('azure', {
      baseUrl: `${ENDPOINT}/openai/v1/`,
      urlStyle: 'v1',
      deployments: { 'gpt-4.1': 'gpt41' },
      keys: [{ value: 'entra-token', auth: 'bearer' }],
    });
    const chat = await upstreamRequest(v1, { ...hello, model: 'gpt-4.1' });
    expect(chat.url).toBe(`POST ${ENDPOINT}/openai/v1/chat/completions`);
    expect(chat.headers.authorization).toBe('Bearer <redacted>');
    expect(chat.headers['api-key']).toBeUndefined();
    expect((chat.body as { model: string }).model).toBe('gpt41');

    const responses = providerFromConfig('azure', { baseUrl: ENDPOINT, api: 'responses', deployments: { 'gpt-5.1': 'gpt51' }, keys: [{ value: 'k' }] });
    expect(responses.dialect).toBe('openai-responses');
    const built = await upstreamRequest(responses, { ...hello, model: 'gpt-5.1' });
    expect(built).toMatchInlineSnapshot(`
      {
        "body": {
          "input": [
            {
              "content": [
                {
                  "text": "Hello",
                  "type": "input_text",
                },
              ],
              "role": "user",
            },
          ],
          "model": "gpt51",
          "store": false,
        },
        "headers": {
          "accept": "application/json",
          "api-key": "<redacted>",
          "content-type": "application/json",
        },
        "url": "POST https://my-resource.openai.azure.com/openai/v1/responses",
        "warnings": [],
      }
    `);
    expect(responses.responsesResource!.buildRequest('GET', 'resp_1', '/input_items', 'limit=2').path).toBe('/openai/v1/responses/resp_1/input_items?limit=2');
  });

  it('serves its deployment names and lists them', () => {
    expect(azure.servesModel('gpt-4o')).toBe(true);
    expect(azure.servesModel('claude-3')).toBe(false);
    expect(azure.listModels()).toEqual(['gpt-4o-mini', 'gpt-4o']);
  });

  it('environment: AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT (+ AZURE_OPENAI_API_VERSION)', () => {
    expect(providersFromEnvironment({ AZURE_OPENAI_API_KEY: 'k' }).azure).toBeUndefined();
    expect(providersFromEnvironment({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: ENDPOINT, AZURE_OPENAI_API_VERSION: '2025-04-01-preview' }).azure).toEqual({
      baseUrl: ENDPOINT,
      keys: [{ name: 'azure-openai-api-key', value: 'k' }],
      apiVersion: '2025-04-01-preview',
    });
  });
});

describe('Azure content filtering', () => {
  it('chat-content-filter-results.json: prompt and completion filter results in providerMetadata', () => {
    const body = readFixtureJson('azure-openai/chat-content-filter-results.json');
    const response = azure.chat!.decodeResponse(body, callContext(azure, 'gpt-35-turbo'));
    expect(response.choices[0]!.finishReason).toEqual({ unified: 'length', raw: 'length' });
    expect(response.providerMetadata?.azure?.promptFilterResults).toEqual((body as { prompt_filter_results: unknown }).prompt_filter_results);
    expect(response.providerMetadata?.openai?.prompt_filter_results).toBeDefined();
    expect(response.choices[0]!.providerMetadata?.azure).toEqual({
      contentFilterResults: {
        hate: { filtered: false, severity: 'safe' },
        self_harm: { filtered: false, severity: 'safe' },
        sexual: { filtered: false, severity: 'safe' },
        violence: { filtered: false, severity: 'safe' },
      },
    });
  });

  it('chat-protected-material-filters.json: protected material and jailbreak categories kept', () => {
    const response = azure.chat!.decodeResponse(readFixtureJson('azure-openai/chat-protected-material-filters.json'), callContext(azure, 'gpt-4o'));
    expect(response.choices[0]!.content).toEqual([{ type: 'text', text: 'The capital of France is **Paris**.' }]);
    expect(response.choices[0]!.providerMetadata?.azure?.contentFilterResults).toMatchObject({ protected_material_code: { detected: false, filtered: false } });
    expect(response.providerMetadata?.azure?.promptFilterResults).toMatchObject([{ content_filter_results: { jailbreak: { detected: false, filtered: false } } }]);
    expect(response.usage).toMatchObject({ inputTokens: 14, outputTokens: 9 });
  });

  for (const name of ['azure-openai/chat-stream-content-filter-results.sse', 'azure-openai/chat-stream-model-router.sse']) {
    it(`${name}: the prompt-results chunk does not become the response id`, () => {
      const decode = (pieces: Buffer[]) => decodeSse(pieces, new AzureChatStreamDecoder('azure'));
      const whole = decode([readFixture(name)]);
      for (const seed of [3, 11]) expect(decode(splitAtRandomOffsets(readFixture(name), seed, 31))).toEqual(whole);
      const metadata = whole[0] as Extract<StreamEvent, { type: 'response-metadata' }>;
      expect(metadata.type).toBe('response-metadata');
      expect(metadata.id).toMatch(/^chatcmpl-/);
      expect(metadata.model).toMatch(/^gpt-/);
      expect(metadata.providerMetadata?.azure?.promptFilterResults).toMatchObject([{ prompt_index: 0 }]);
      const summary = summarise(whole);
      expect(summary.errors).toEqual([]);
      expect(summary.finish).toBe('stop/stop');
      expect(summary.text.length).toBeGreaterThan(0);
    });
  }

  it('the model-router stream reports the routed model and reasoning usage', () => {
    const summary = summarise(decodeSse([readFixture('azure-openai/chat-stream-model-router.sse')], new AzureChatStreamDecoder('azure')));
    expect(summary.text).toBe('Capital of Denmark.');
    expect(summary.usage).toMatchObject({ inputTokens: 15, outputTokens: 78, reasoningTokens: 64 });
  });

  it('a completion cut by the filter finishes with content-filter and names the categories', () => {
    const stream = [
      'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}',
      'data: {"choices":[{"content_filter_results":{"violence":{"filtered":false,"severity":"low"}},"delta":{"role":"assistant","content":"The"},"finish_reason":null,"index":0}],"created":1,"id":"chatcmpl-1","model":"gpt-4o","object":"chat.completion.chunk"}',
      'data: {"choices":[{"content_filter_results":{"violence":{"filtered":true,"severity":"high"}},"delta":{},"finish_reason":"content_filter","index":0}],"created":1,"id":"chatcmpl-1","model":"gpt-4o","object":"chat.completion.chunk"}',
      'data: [DONE]',
    ].join('\n\n');
    const events = decodeSse([Buffer.from(`${stream}\n\n`)], new AzureChatStreamDecoder('azure'));
    const finish = events.find((event) => event.type === 'finish') as Extract<StreamEvent, { type: 'finish' }>;
    expect(finish.finishReason).toEqual({ unified: 'content-filter', raw: 'content_filter' });
    expect(finish.providerMetadata?.azure).toEqual({ filtered: ['violence (high)'] });
  });

  it('a prompt refused with 400 content_filter / ResponsibleAIPolicyViolation', () => {
    // Body as reported in openai/openai-dotnet issue #55 (Azure OpenAI, 2024).
    const body =
      '{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":true,"severity":"high"},"violence":{"filtered":false,"severity":"safe"}}}}}';
    const error = azure.mapError(400, {}, body);
    expect(error).toMatchObject({ code: 'content_filtered', status: 400, retryable: false, upstream: { code: 'content_filter', param: 'prompt' } });
    expect(error.message).toMatch(/\(Azure content filter: sexual \(high\)\)$/);
    expect(error.upstream?.body).toContain('ResponsibleAIPolicyViolation');
  });

  it('429 from Azure is retryable and honours retry-after-ms', () => {
    expect(azure.mapError(429, { 'retry-after-ms': '1500' }, '{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded call rate limit"}}')).toMatchObject({
      code: 'upstream_rate_limited',
      retryable: true,
      retryAfterMs: 1500,
    });
  });
});

describe('Entra ID client credentials', () => {
  let server: Server;
  let tokenUrl: string;
  const forms: URLSearchParams[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        forms.push(new URLSearchParams(body));
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: `entra-${forms.length}` }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-1/oauth2/v2.0/token`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches a token with the client secret, caches it, and sends it as a bearer token', async () => {
    const provider = providerFromConfig('azure', {
      baseUrl: ENDPOINT,
      keys: [{ value: 'client-secret', entra: { clientId: 'app-id', tokenUrl } }],
    });
    const key = provider.settings.keys[0]!;
    const first = provider.chat!.buildRequest(hello, callContext(provider, 'gpt-4o-mini'));
    const second = provider.chat!.buildRequest(hello, callContext(provider, 'gpt-4o-mini'));
    await Promise.all([provider.authenticate(first, key), provider.authenticate(second, key)]);
    expect(first.headers.authorization).toBe('Bearer entra-1');
    expect(second.headers.authorization).toBe('Bearer entra-1');
    expect(first.headers['api-key']).toBeUndefined();
    expect(forms).toHaveLength(1);
    expect(Object.fromEntries(forms[0]!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-id',
      client_secret: 'client-secret',
      scope: 'https://cognitiveservices.azure.com/.default',
    });
  });

  it('rejects an entra block without tenantId or tokenUrl', () => {
    expect(() => providerFromConfig('azure', { baseUrl: ENDPOINT, keys: [{ value: 's', entra: { clientId: 'x' } }] })).toThrow(/tenantId or tokenUrl/);
  });
});

describe('Azure embeddings and completions', () => {
  it('go to their deployment URLs with the api-version', () => {
    const embeddings = azure.embeddings!.buildRequest({ model: 'text-embedding-3-small', input: ['hello'] }, callContext(azure, 'text-embedding-3-small'));
    expect(`${embeddings.origin}${embeddings.path}`).toBe(`${ENDPOINT}/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21`);
    expect(JSON.parse(String(embeddings.body))).toMatchObject({ model: 'text-embedding-3-small', input: 'hello' });
    const completions = azure.completions!.buildRequest({ model: 'gpt-4o-mini', prompt: 'Say hi', stream: false }, callContext(azure, 'gpt-4o-mini'));
    expect(completions.path).toBe('/openai/deployments/prod-4o-mini/completions?api-version=2024-10-21');
  });
});
