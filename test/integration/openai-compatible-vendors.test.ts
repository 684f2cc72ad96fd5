import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPATIBLE_VENDORS } from '../../src/providers/openai-compatible/vendors.js';
import { listFixtures, readFixtureJson } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/*
 * Every recorded OpenAI-compatible vendor conversation replayed through the gateway with the
 * openai SDK as the client: the vendor is configured by type only (its default path layout),
 * so the test also checks the URL and auth header each vendor declaration produces.
 */

const FOLDERS: Record<string, string> = { deepseek: 'deepseek', groq: 'groq', mistral: 'mistral', openrouter: 'openrouter', perplexity: 'perplexity', xai: 'xai' };

let upstream: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.otherwise((request) => {
    const body = request.json as { model: string; stream?: boolean };
    return fixtureReply(body.model, { chunkSize: 31, randomChunks: true, ...(body.model.includes('/error-') ? { status: Number(body.model.split('/error-')[1]!.slice(0, 3)) } : {}) });
  });
  const providers: Record<string, unknown> = {};
  for (const type of Object.keys(FOLDERS)) {
    const vendor = COMPATIBLE_VENDORS.find((candidate) => candidate.type === type)!;
    const path = new URL(vendor.defaultBaseUrl!).pathname.replace(/\/$/, '');
    providers[type] = { baseUrl: `${upstream.url}${path}`, keys: [{ value: `key-for-${type}` }] };
  }
  gateway = await startTestGateway({ providers });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.stop();
});

const cases = Object.entries(FOLDERS).flatMap(([type, folder]) =>
  listFixtures(folder)
    .filter((name) => (name.endsWith('.sse') || name.endsWith('.json')) && !name.endsWith('.request.json') && !name.endsWith('.headers.json'))
    .map((name) => [type, name] as const),
);

describe('OpenAI-compatible vendors replayed through the gateway', () => {
  it.each(cases)('%s: %s', async (type, name) => {
    const stream = name.endsWith('.sse');
    const vendor = COMPATIBLE_VENDORS.find((candidate) => candidate.type === type)!;
    const request = { model: `${type}/${name}`, messages: [{ role: 'user' as const, content: 'hi' }] };
    if (name.includes('/error-')) {
      const error = await client.chat.completions.create(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const recorded = readFixtureJson<{ error: { message: string } }>(name);
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain(recorded.error.message);
    } else if (stream) {
      const chunks = [];
      try {
        for await (const chunk of await client.chat.completions.create({ ...request, stream: true })) chunks.push(chunk);
      } catch (error) {
        // Recorded mid-stream failures reach the SDK as errors after the chunks sent before them.
        expect(name).toMatch(/midstream/);
        expect(error).toBeInstanceOf(OpenAI.APIError);
      }
      expect(chunks.length).toBeGreaterThan(0);
    } else {
      const completion = await client.chat.completions.create(request);
      expect(completion.choices.length).toBeGreaterThan(0);
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    }
    const sent = upstream.requests.at(-1)!;
    expect(`${upstream.url}${sent.path}`).toBe(`${upstream.url}${new URL(vendor.defaultBaseUrl!).pathname.replace(/\/$/, '')}/chat/completions`);
    expect(sent.headers.authorization).toBe(`Bearer key-for-${type}`);
  });
});
