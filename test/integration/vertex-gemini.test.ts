import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { importSPKI, jwtVerify } from 'jose';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/**
 * Gemini on Vertex AI: a mock OAuth token endpoint that verifies the service account's signed
 * assertion, and a mock Vertex upstream that checks the bearer token and the project/location
 * URL. Tokens are cached until shortly before they expire, then refreshed.
 */
describe('Vertex AI provider with service-account OAuth', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = {
    type: 'service_account',
    project_id: 'sa-project',
    private_key_id: 'kid-42',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'gateway@sa-project.iam.gserviceaccount.com',
  };
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  let tokenServer: Server;
  let tokenUrl: string;
  let issued = 0;
  let lifetime = 3600;
  let tokenFailure = false;
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let openai: OpenAI;
  let genai: GoogleGenAI;
  const BASE = '/v1/projects/my-project/locations/europe-west4/publishers/google/models';

  beforeAll(async () => {
    tokenServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        void (async () => {
          if (tokenFailure) {
            response.writeHead(400, { 'content-type': 'application/json' });
            response.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
            return;
          }
          const form = new URLSearchParams(body);
          const { payload } = await jwtVerify(form.get('assertion')!, await importSPKI(spki, 'RS256'), { audience: tokenUrl, issuer: serviceAccount.client_email });
          expect(payload.scope).toBe('https://www.googleapis.com/auth/cloud-platform');
          issued++;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ access_token: `ya29.token-${issued}`, expires_in: lifetime, token_type: 'Bearer' }));
        })();
      });
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
    upstream = await new MockUpstream().start();
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'switchyard-sa-')), 'key.json');
    writeFileSync(keyFile, JSON.stringify(serviceAccount));
    gateway = await startTestGateway(
      {
        providers: {
          vertex: { baseUrl: `${upstream.url}/v1`, project: 'my-project', region: 'europe-west4', serviceAccount: 'env.VERTEX_SERVICE_ACCOUNT', tokenUrl },
          'vertex-file': { type: 'vertex', baseUrl: `${upstream.url}/v1`, region: 'global', serviceAccount: keyFile, tokenUrl, models: ['file-*'] },
        },
      },
      { env: { VERTEX_SERVICE_ACCOUNT: JSON.stringify(serviceAccount) } },
    );
    openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key' });
    genai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: `${gateway.url}/genai` } });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
    await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
  });
  beforeEach(() => {
    upstream.reset();
    lifetime = 3600;
    tokenFailure = false;
  });

  it('calls the project/location URL with a bearer token that is fetched once and cached', async () => {
    issued = 0;
    upstream.on('POST', `${BASE}/gemini-2.5-flash:generateContent`, fixtureReply('gemini/text.json'));
    for (let round = 0; round < 3; round++) {
      const completion = await openai.chat.completions.create({ model: 'vertex/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello!' }] });
      expect(completion.choices[0]!.message.content).toBe('Hello! How can I help you today?');
    }
    expect(issued).toBe(1);
    expect(upstream.requests.map((request) => request.headers.authorization)).toEqual(['Bearer ya29.token-1', 'Bearer ya29.token-1', 'Bearer ya29.token-1']);
    expect(upstream.requests[0]!.headers['x-goog-api-key']).toBeUndefined();
  });

  it('refreshes the token before it expires', async () => {
    issued = 0;
    lifetime = 60; // inside the 5-minute refresh margin: every call refreshes
    const gatewayShort = await startTestGateway({
      providers: { vertex: { baseUrl: `${upstream.url}/v1`, project: 'my-project', region: 'europe-west4', serviceAccount, tokenUrl } },
    });
    try {
      upstream.on('POST', `${BASE}/gemini-2.5-flash:generateContent`, fixtureReply('gemini/text.json'));
      const client = new OpenAI({ baseURL: `${gatewayShort.url}/v1`, apiKey: 'x' });
      await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'a' }] });
      await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'b' }] });
      expect(issued).toBe(2);
      expect(upstream.requests.map((request) => request.headers.authorization)).toEqual(['Bearer ya29.token-1', 'Bearer ya29.token-2']);
    } finally {
      await gatewayShort.close();
    }
  });

  it('GenAI SDK stream to Vertex: :streamGenerateContent?alt=sse, createTime and traffic type pass through', async () => {
    upstream.on('POST', `${BASE}/gemini-3-flash-preview:streamGenerateContent`, fixtureReply('gemini/vertex-stream-flex-tier.sse', { chunkSize: 100, randomChunks: true }));
    const stream = await genai.models.generateContentStream({ model: 'vertex/gemini-3-flash-preview', contents: 'Reply with exactly: OK' });
    let text = '';
    let usage: Record<string, unknown> | undefined;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      usage = (chunk.usageMetadata as Record<string, unknown> | undefined) ?? usage;
    }
    expect(text).toBe('OK');
    expect(usage).toMatchObject({ trafficType: 'ON_DEMAND_FLEX', thoughtsTokenCount: 100 });
    const request = upstream.requests.at(-1)!;
    expect(request.url).toBe(`${BASE}/gemini-3-flash-preview:streamGenerateContent?alt=sse`);
    expect(request.headers.authorization).toMatch(/^Bearer ya29\.token-\d+$/);
    expect(request.json).toEqual({ contents: [{ parts: [{ text: 'Reply with exactly: OK' }], role: 'user' }] });
  });

  it('streamed function call arguments (Vertex partial args) reach an OpenAI client as argument deltas', async () => {
    upstream.on('POST', `${BASE}/gemini-3.1-pro-preview:streamGenerateContent`, fixtureReply('gemini/vertex-stream-function-call-partial-args.sse'));
    const stream = await openai.chat.completions.create({ model: 'vertex/gemini-3.1-pro-preview', messages: [{ role: 'user', content: 'Weather?' }], stream: true });
    const args: string[] = [];
    const ids: string[] = [];
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (call.id !== undefined) ids[call.index] = call.id;
        args[call.index] = (args[call.index] ?? '') + (call.function?.arguments ?? '');
      }
    }
    expect(args.map((text) => JSON.parse(text))).toEqual([{ location: 'Boston' }, { location: 'San Francisco' }]);
    expect(ids[0]).toMatch(/__thought__CiMBjz1rX25KieIB4d4AwFn8/);
  });

  it('countTokens goes to Vertex :countTokens', async () => {
    upstream.on('POST', `${BASE}/gemini-2.5-flash:countTokens`, { status: 200, body: JSON.stringify({ totalTokens: 6, totalBillableCharacters: 20 }) });
    const counted = await genai.models.countTokens({ model: 'vertex/gemini-2.5-flash', contents: 'How many tokens?' });
    expect(counted.totalTokens).toBe(6);
    expect(upstream.requests.at(-1)!.json).toEqual({ contents: [{ parts: [{ text: 'How many tokens?' }], role: 'user' }] });
  });

  it('a token Vertex refuses (401) is dropped and the attempt retried with a new one', async () => {
    issued = 0;
    const gatewayFresh = await startTestGateway({
      providers: { vertex: { baseUrl: `${upstream.url}/v1`, project: 'my-project', region: 'europe-west4', serviceAccount, tokenUrl } },
    });
    try {
      const client = new OpenAI({ baseURL: `${gatewayFresh.url}/v1`, apiKey: 'x', maxRetries: 0 });
      upstream.on('POST', `${BASE}/gemini-2.5-flash:generateContent`, (request) =>
        request.headers.authorization === 'Bearer ya29.token-1'
          ? { status: 401, body: JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }) }
          : fixtureReply('gemini/text.json'),
      );
      // The router retries the refused attempt once; the dropped token is replaced by a new one.
      const { data, response } = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'a' }] }).withResponse();
      expect(data.choices[0]!.message.content).toBe('Hello! How can I help you today?');
      expect(response.headers.get('x-switchyard-attempts')).toBe('2');
      expect(response.headers.get('x-switchyard-attempt-log')).toMatch(/:401:/);
      expect(issued).toBe(2);
      const again = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'b' }] });
      expect(again.choices[0]!.message.content).toBe('Hello! How can I help you today?');
      expect(issued).toBe(2);
    } finally {
      await gatewayFresh.close();
    }
  });

  it('a key file path works too; the global region; the service account project is the default', async () => {
    upstream.on('POST', '/v1/projects/sa-project/locations/global/publishers/google/models/file-model:generateContent', fixtureReply('gemini/text.json'));
    const completion = await openai.chat.completions.create({ model: 'file-model', messages: [{ role: 'user', content: 'Hello!' }] });
    expect(completion.choices[0]!.message.content).toBe('Hello! How can I help you today?');
  });

  it('embeddings go to :predict', async () => {
    upstream.on('POST', `${BASE}/text-embedding-005:predict`, {
      status: 200,
      body: JSON.stringify({ predictions: [{ embeddings: { values: [0.1, 0.2], statistics: { token_count: 2, truncated: false } } }], metadata: { billableCharacterCount: 5 } }),
    });
    const result = await openai.embeddings.create({ model: 'vertex/text-embedding-005', input: 'hello', encoding_format: 'float' });
    expect(result.data[0]!.embedding).toEqual([0.1, 0.2]);
    expect(result.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    expect(upstream.requests.at(-1)!.json).toEqual({ instances: [{ content: 'hello' }] });
  });

  it('a refused token exchange is an authentication error for the client', async () => {
    tokenFailure = true;
    const gatewayFresh = await startTestGateway({
      providers: { vertex: { baseUrl: `${upstream.url}/v1`, project: 'my-project', region: 'europe-west4', serviceAccount, tokenUrl } },
    });
    try {
      const client = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: `${gatewayFresh.url}/genai` } });
      await expect(client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' })).rejects.toMatchObject({ status: 401 });
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await gatewayFresh.close();
    }
  });

  it('a bad service account is a config error naming the field', async () => {
    await expect(startTestGateway({ providers: { vertex: { project: 'p', serviceAccount: '{"client_email": "x"}' } } })).rejects.toThrow(/providers\.vertex\.serviceAccount/);
    await expect(startTestGateway({ providers: { vertex: { project: 'p', serviceAccount: '/nonexistent/key.json' } } })).rejects.toThrow(/serviceAccount.*ENOENT/);
  });
});
