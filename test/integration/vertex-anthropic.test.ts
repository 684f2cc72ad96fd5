import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { importSPKI, jwtVerify } from 'jose';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { vertexBaseUrl } from '../../src/providers/vertex-anthropic/vertex-base-url.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { callContext, createProvider, describeRequest } from '../unit/providers/anthropic/anthropic-test-kit.js';

/*
 * Claude on Vertex AI: a mock Google token endpoint (it verifies the signed JWT assertion) and a
 * mock Vertex upstream that checks the bearer token, the :rawPredict / :streamRawPredict URL and
 * the body (no model, anthropic_version vertex-2023-10-16).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded JSON is read loosely in assertions
type Json = Record<string, any>;

const PROJECT = 'my-project';
const REGION = 'us-east5';
const MODEL = 'claude-sonnet-4-5@20250929';
const MODELS_PATH = `/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models`;

describe('vertex-anthropic', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = {
    type: 'service_account',
    project_id: PROJECT,
    private_key_id: 'key-1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'gateway@my-project.iam.gserviceaccount.com',
  };
  let tokenServer: Server;
  let tokenUrl: string;
  let exchanges = 0;
  let vertex: MockUpstream;
  let gateway: TestGateway;

  const authorised = (request: RecordedRequest): boolean => request.headers.authorization === 'Bearer ya29.mock-token';

  beforeAll(async () => {
    const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    tokenServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', async () => {
        const assertion = new URLSearchParams(body).get('assertion') ?? '';
        try {
          const { payload } = await jwtVerify(assertion, await importSPKI(spki, 'RS256'), { audience: tokenUrl, issuer: serviceAccount.client_email });
          if (payload.scope !== 'https://www.googleapis.com/auth/cloud-platform') throw new Error('scope');
          exchanges++;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ access_token: 'ya29.mock-token', expires_in: 3600, token_type: 'Bearer' }));
        } catch {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: 'invalid_grant' }));
        }
      });
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;

    vertex = await new MockUpstream().start();
    const unauthorised = { status: 401, body: JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }) };
    vertex.on('POST', `${MODELS_PATH}/${MODEL}:rawPredict`, (request) => {
      if (!authorised(request)) return unauthorised;
      const text = request.body;
      if (text.includes('"name":"city"')) {
        // The forced structured-output tool: answer with the recorded tool_use, renamed.
        const recorded = readFixtureJson<Json>('anthropic-messages/tool-use.json');
        recorded.content = [{ type: 'tool_use', id: recorded.content[1].id, name: 'city', input: { city: 'San Francisco' } }];
        return { status: 200, body: JSON.stringify(recorded) };
      }
      return fixtureReply('anthropic-messages/text.json');
    });
    vertex.on('POST', `${MODELS_PATH}/${MODEL}:streamRawPredict`, (request) => (authorised(request) ? fixtureReply('anthropic-messages/stream-thinking.sse', { chunkSize: 37, randomChunks: true }) : unauthorised));
    vertex.on('POST', `${MODELS_PATH}/count-tokens:rawPredict`, (request) => (authorised(request) ? { status: 200, body: JSON.stringify({ input_tokens: 17 }) } : unauthorised));

    const dir = mkdtempSync(path.join(tmpdir(), 'vertex-sa-'));
    const keyFile = path.join(dir, 'sa.json');
    writeFileSync(keyFile, JSON.stringify(serviceAccount));
    gateway = await startTestGateway(
      {
        providers: {
          vertex: { type: 'vertex-anthropic', project: PROJECT, region: REGION, baseUrl: vertex.url, tokenUrl, serviceAccount: keyFile },
          'vertex-env': { type: 'vertex-anthropic', project: PROJECT, location: REGION, baseUrl: vertex.url, tokenUrl, serviceAccount: 'env.VERTEX_SA_JSON' },
          'vertex-stale': { type: 'vertex-anthropic', project: PROJECT, region: REGION, baseUrl: vertex.url, keys: [{ value: 'ya29.expired' }] },
        },
      },
      { env: { VERTEX_SA_JSON: JSON.stringify(serviceAccount) } },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await vertex.stop();
    await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
  });
  beforeEach(() => vertex.reset());

  it('the Anthropic SDK, passthrough: OAuth token, :rawPredict URL, body without model', async () => {
    const client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'client', maxRetries: 0 });
    const message = await client.messages.create({ model: `vertex/${MODEL}`, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } });
    expect(message).toEqual(readFixtureJson('anthropic-messages/text.json'));
    const sent = vertex.requests[0]!;
    expect(sent.path).toBe(`${MODELS_PATH}/${MODEL}:rawPredict`);
    expect(sent.headers.authorization).toBe('Bearer ya29.mock-token');
    expect(sent.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    expect(sent.headers['x-api-key']).toBeUndefined();
    expect(sent.json).toEqual({ max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], anthropic_version: 'vertex-2023-10-16' });
  });

  it('streams through :streamRawPredict (canonical path, OpenAI SDK), token cached', async () => {
    const before = exchanges;
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: `vertex/${MODEL}`, max_tokens: 4096, stream: true, messages: [{ role: 'user', content: 'How do I cross the street?' }] });
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as Json | undefined;
      reasoning += delta?.reasoning_content ?? '';
      text += delta?.content ?? '';
    }
    expect(reasoning).toMatch(/^This is a straightforward question/);
    expect(text).toMatch(/^Here are the basic steps/);
    const sent = vertex.requests[0]!;
    expect(sent.path).toBe(`${MODELS_PATH}/${MODEL}:streamRawPredict`);
    expect(sent.json).toMatchObject({ anthropic_version: 'vertex-2023-10-16', stream: true, max_tokens: 4096 });
    expect((sent.json as Json).model).toBeUndefined();
    expect(exchanges).toBe(before);
  });

  it('a service account given as JSON text from an env reference works too', async () => {
    const client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'client', maxRetries: 0 });
    await client.messages.create({ model: `vertex-env/${MODEL}`, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(vertex.requests[0]!.headers.authorization).toBe('Bearer ya29.mock-token');
  });

  it('structured output is emulated with a forced tool on Vertex, and answered as JSON text', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({
        model: `vertex/${MODEL}`,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Which city?' }],
        response_format: { type: 'json_schema', json_schema: { name: 'city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
      })
      .withResponse();
    expect(JSON.parse(data.choices[0]!.message.content!)).toEqual({ city: 'San Francisco' });
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(response.headers.get('x-switchyard-warnings')).toContain('emulated(response_format)');
    expect((vertex.requests[0]!.json as Json).tool_choice).toEqual({ type: 'tool', name: 'city' });
  });

  it('count_tokens goes to count-tokens:rawPredict with the model in the body', async () => {
    const client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'client', maxRetries: 0 });
    expect(await client.messages.countTokens({ model: `vertex/${MODEL}`, messages: [{ role: 'user', content: 'hi' }] })).toEqual({ input_tokens: 17 });
    expect(vertex.requests[0]!.json).toEqual({ anthropic_version: 'vertex-2023-10-16', model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
  });

  it('a refused token is an AuthenticationError for the client', async () => {
    const client = new Anthropic({ baseURL: `${gateway.url}/anthropic`, apiKey: 'client', maxRetries: 0 });
    const error = await client.messages.create({ model: `vertex-stale/${MODEL}`, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(vertex.requests[0]!.headers.authorization).toBe('Bearer ya29.expired');
  });

  it('the exact upstream request (snapshot), document URLs refused with a warning', async () => {
    const provider = createProvider('vertex', { type: 'vertex-anthropic', project: PROJECT, region: 'europe-west1', keys: [{ value: 'ya29.static' }], betas: ['interleaved-thinking-2025-05-14'] });
    const context = callContext(provider, 'claude-opus-4-1@20250805');
    const request = provider.chat!.buildRequest(
      {
        model: 'claude-opus-4-1@20250805',
        stream: true,
        maxOutputTokens: 1000,
        messages: [{ role: 'user', content: [{ type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' }, mediaType: 'application/pdf' }, { type: 'text', text: 'Summarise' }] }],
      },
      context,
    );
    expect({ request: await describeRequest(provider, request), warnings: context.warnings }).toMatchInlineSnapshot(`
      {
        "request": {
          "body": {
            "anthropic_version": "vertex-2023-10-16",
            "max_tokens": 1000,
            "messages": [
              {
                "content": "Summarise",
                "role": "user",
              },
            ],
            "stream": true,
          },
          "headers": {
            "accept": "text/event-stream",
            "anthropic-beta": "interleaved-thinking-2025-05-14",
            "authorization": "<redacted>",
            "content-type": "application/json",
          },
          "method": "POST",
          "url": "https://europe-west1-aiplatform.googleapis.com/v1/projects/my-project/locations/europe-west1/publishers/anthropic/models/claude-opus-4-1@20250805:streamRawPredict",
        },
        "warnings": [
          {
            "code": "unsupported-content",
            "message": "provider "vertex" does not fetch documents from URLs; the document https://example.com/a.pdf was not sent (send it as base64)",
          },
        ],
      }
    `);
  });

  it('base URLs per region', () => {
    expect(vertexBaseUrl('us-east5')).toBe('https://us-east5-aiplatform.googleapis.com');
    expect(vertexBaseUrl('global')).toBe('https://aiplatform.googleapis.com');
    expect(vertexBaseUrl('eu')).toBe('https://aiplatform.eu.rep.googleapis.com');
    expect(createProvider('v', { type: 'vertex-anthropic', project: 'p', region: 'global', keys: [{ value: 't' }] }).settings.origin).toBe('https://aiplatform.googleapis.com');
  });
});
