import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPATIBLE_VENDORS, OPENAI } from '../../src/providers/openai-compatible/vendors.js';
import { listFixtures, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';
import { readOpenAiChunks, readOpenAiSseRecording } from '../helpers/openai-stream-reference.js';

/*
 * Every recorded OpenAI-compatible vendor conversation replayed through the gateway with the
 * openai SDK as the client, on the passthrough path (`<type>`) and the canonical one
 * (`<type>-canonical`): the vendor is configured by type only (its default path layout), so the
 * test also checks the URL and auth header each vendor declaration produces. Streams are compared
 * with a naive reading of the recording: content, reasoning, tool calls, finish reason, usage.
 * Then every declared vendor, recorded or not, is configured once with a key and (when it may go
 * without) once without, to check the path and auth header it sends.
 */

const FOLDERS: Record<string, string> = { deepseek: 'deepseek', groq: 'groq', mistral: 'mistral', openrouter: 'openrouter', perplexity: 'perplexity', xai: 'xai' };

const ALL_VENDORS = [OPENAI, ...COMPATIBLE_VENDORS];

/** The path of a vendor's default base URL (the generic type has none: /v1 stands in). */
function defaultPath(type: string): string {
  const vendor = ALL_VENDORS.find((candidate) => candidate.type === type)!;
  return vendor.defaultBaseUrl === undefined ? '/v1' : new URL(vendor.defaultBaseUrl).pathname.replace(/\/$/, '');
}

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
    const baseUrl = `${upstream.url}${defaultPath(type)}`;
    providers[type] = { baseUrl, keys: [{ value: `key-for-${type}` }] };
    providers[`${type}-canonical`] = { type, baseUrl, keys: [{ value: `key-for-${type}` }], passthrough: false };
  }
  for (const vendor of ALL_VENDORS) {
    const baseUrl = `${upstream.url}${defaultPath(vendor.type)}`;
    providers[`every-${vendor.type}`] = { type: vendor.type, baseUrl, keys: [{ value: `key-for-every-${vendor.type}` }] };
    if (!vendor.requiresKey) providers[`keyless-${vendor.type}`] = { type: vendor.type, baseUrl };
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
    .flatMap((name) => [[type, type, name] as const, [`${type}-canonical`, type, name] as const]),
);

describe('OpenAI-compatible vendors replayed through the gateway', () => {
  it.each(cases)('%s (%s): %s', async (id, type, name) => {
    const stream = name.endsWith('.sse');
    const request = { model: `${id}/${name}`, messages: [{ role: 'user' as const, content: 'hi' }] };
    if (name.includes('/error-')) {
      const error = await client.chat.completions.create(request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const recorded = readFixtureJson<{ error: { message: string } }>(name);
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain(recorded.error.message);
    } else if (stream) {
      const chunks: object[] = [];
      let failed = false;
      try {
        for await (const chunk of await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } })) chunks.push(chunk);
      } catch (error) {
        // Recorded mid-stream failures reach the SDK as errors after the chunks sent before them.
        expect(name).toMatch(/midstream/);
        expect(error).toBeInstanceOf(OpenAI.APIError);
        failed = true;
      }
      const recorded = readOpenAiSseRecording(readFixtureText(name));
      const received = readOpenAiChunks(chunks, failed);
      // The canonical path opens every stream with `content: ""`, where a vendor may send null
      // before a tool call: no text either way.
      expect(nonEmpty(received.text)).toEqual(nonEmpty(recorded.text));
      expect(received.reasoning).toEqual(recorded.reasoning);
      expect(received.tools).toEqual(recorded.tools);
      expect(received.finish).toEqual(recorded.finish);
      // Usage that rides on an error chunk (OpenRouter) cannot be seen: the SDK throws at that chunk.
      if (!recorded.error) expect(received.usage).toEqual(recorded.usage);
      expect(received.error).toBe(recorded.error);
      expect(recorded.text.size + recorded.reasoning.size + recorded.tools.size).toBeGreaterThan(0);
    } else {
      const completion = await client.chat.completions.create(request);
      expect(completion.choices.length).toBeGreaterThan(0);
      expect(completion.usage?.total_tokens).toBeGreaterThan(0);
    }
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe(`${defaultPath(type)}/chat/completions`);
    expect(sent.headers.authorization).toBe(`Bearer key-for-${type}`);
  });
});

function nonEmpty(texts: Map<number, string>): Map<number, string> {
  return new Map([...texts].filter(([, text]) => text !== ''));
}

/** Declared endpoints: false where the vendor lacks one (the docs table says "—" or "emulated"). */
function hasEndpoint(type: string, endpoint: 'embeddings' | 'completions'): boolean {
  return ALL_VENDORS.find((vendor) => vendor.type === type)!.paths?.[endpoint] !== false;
}

describe('every declared vendor: upstream path and auth header', () => {
  const types = ALL_VENDORS.map((vendor) => vendor.type);

  it.each(types)('%s', async (type) => {
    const id = `every-${type}`;
    const completion = await client.chat.completions.create({ model: `${id}/openai-chat/text.json`, messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBe(readFixtureJson<any>('openai-chat/text.json').choices[0].message.content);
    let sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe(`${defaultPath(type)}/chat/completions`);
    expect(sent.headers.authorization).toBe(`Bearer key-for-${id}`);
    expect((sent.json as { model: string }).model).toBe('openai-chat/text.json');

    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ model: `${id}/openai-chat/stream-text.sse`, messages: [{ role: 'user', content: 'hi' }], stream: true })) chunks.push(chunk);
    expect(readOpenAiChunks(chunks, false).text).toEqual(readOpenAiSseRecording(readFixtureText('openai-chat/stream-text.sse')).text);
    sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe(`${defaultPath(type)}/chat/completions`);
    expect(sent.headers.authorization).toBe(`Bearer key-for-${id}`);

    const embeddings = client.embeddings.create({ model: `${id}/openai-embeddings/embedding-float.json`, input: 'hello world', encoding_format: 'float' });
    if (hasEndpoint(type, 'embeddings')) {
      expect((await embeddings).data[0]!.embedding).toHaveLength(1536);
      sent = upstream.requests.at(-1)!;
      expect(sent.path).toBe(`${defaultPath(type)}/embeddings`);
      expect(sent.headers.authorization).toBe(`Bearer key-for-${id}`);
    } else {
      const before = upstream.requests.length;
      expect(await embeddings.catch((error: unknown) => error)).toMatchObject({ status: 400 });
      expect(upstream.requests.length).toBe(before);
    }
  });

  const keyless = ALL_VENDORS.filter((vendor) => !vendor.requiresKey).map((vendor) => vendor.type);

  it.each(keyless)('%s without a key sends no Authorization header', async (type) => {
    await client.chat.completions.create({ model: `keyless-${type}/openai-chat/text.json`, messages: [{ role: 'user', content: 'hi' }] });
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe(`${defaultPath(type)}/chat/completions`);
    expect(sent.headers.authorization).toBeUndefined();
  });
});
