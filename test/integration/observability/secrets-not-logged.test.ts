import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../../helpers/gateway-process.js';
import { startMockBedrock } from '../../helpers/mock-bedrock.js';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';

/*
 * "Provider keys are never logged" as an observation rather than a list of redaction paths: a
 * real gateway process (the built CLI; `npm run build` first) logging at trace level with an
 * access-log line per request serves requests that carry provider keys upstream — successes,
 * streams, an upstream 401 that echoes the key, an unreachable upstream, bad input, bad
 * credentials, a provider key sent through the admin API — and its whole output (stdout and
 * stderr) must hold none of the provider secrets, the client's virtual key, nor the admin key.
 * No answer to a client may hold a provider secret either (DESIGN §2, errors).
 */

const SECRETS = {
  openai: 'sk-live-openai-PROVIDER-SECRET-1111',
  rejected: 'sk-live-rejected-PROVIDER-SECRET-2222',
  unreachable: 'sk-live-unreachable-PROVIDER-SECRET-3333',
  anthropic: 'sk-ant-live-PROVIDER-SECRET-4444',
  gemini: 'AIza-live-PROVIDER-SECRET-5555',
  bedrockSecret: 'bedrock/PROVIDER/SECRET/6666',
  adminMade: 'sk-live-admin-made-PROVIDER-SECRET-7777',
};
const BEDROCK_ACCESS_KEY_ID = 'AKIALOGTESTEXAMPLE';
const VIRTUAL_KEY = 'sk-sy-client-VIRTUAL-KEY-0123456789ab';
const WRONG_VIRTUAL_KEY = 'sk-sy-client-WRONG-KEY-0123456789abc';
const ADMIN = 'sy-admin-ADMIN-SECRET-8888';
const ENCRYPTION_KEY = '7c'.repeat(32);

const MESSAGES = [{ role: 'user', content: 'hi' }];

describe('secrets in the application log', () => {
  let upstream: MockUpstream;
  let bedrock: MockUpstream;
  let gateway: GatewayProcess;
  const answers: Array<{ what: string; status: number; body: string }> = [];

  async function send(what: string, path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<void> {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
    });
    answers.push({ what, status: response.status, body: await response.text() });
  }

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/openai/v1/chat/completions', (request) =>
      (request.json as { stream?: boolean }).stream
        ? fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 64 })
        : fixtureReply('openai-chat/text.json'),
    );
    // A provider that repeats the key it was sent in its error, as some do.
    upstream.on('POST', '/rejected/v1/chat/completions', (request) => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: {
          message: `Incorrect API key provided: ${String(request.headers.authorization).slice(7)}.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      }),
    }));
    upstream.on('POST', '/anthropic/v1/messages', fixtureReply('anthropic-messages/text.json'));
    upstream.on('POST', '/gemini/v1beta/models/gemini-2.5-flash:generateContent', fixtureReply('gemini/text.json'));
    bedrock = await startMockBedrock(
      { [BEDROCK_ACCESS_KEY_ID]: { secretAccessKey: SECRETS.bedrockSecret } },
      () => fixtureReply('bedrock-converse/converse-text.json'),
      'eu-west-3',
    );
    gateway = await startGateway({
      config: {
        logging: { level: 'trace', requests: true },
        providers: {
          openai: { baseUrl: `${upstream.url}/openai/v1`, keys: [{ name: 'main', value: 'env.OPENAI_SECRET' }] },
          rejected: { type: 'openai', baseUrl: `${upstream.url}/rejected/v1`, keys: [{ value: SECRETS.rejected }] },
          unreachable: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', keys: [{ value: SECRETS.unreachable }] },
          anthropic: { baseUrl: `${upstream.url}/anthropic`, keys: [{ value: SECRETS.anthropic }] },
          gemini: { baseUrl: `${upstream.url}/gemini/v1beta`, keys: [{ value: SECRETS.gemini }] },
          bedrock: {
            baseUrl: bedrock.url,
            region: 'eu-west-3',
            keys: [{ name: 'aws', accessKeyId: BEDROCK_ACCESS_KEY_ID, secretAccessKey: SECRETS.bedrockSecret }],
          },
        },
        virtualKeys: [{ name: 'client', value: 'env.CLIENT_KEY' }],
      },
      env: {
        OPENAI_SECRET: SECRETS.openai,
        CLIENT_KEY: VIRTUAL_KEY,
        SWITCHYARD_ADMIN_KEY: ADMIN,
        SWITCHYARD_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
    });

    const bearer = { authorization: `Bearer ${VIRTUAL_KEY}` };
    const chat = (model: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ model, messages: MESSAGES, max_tokens: 20, ...extra });
    await send('openai chat', '/v1/chat/completions', { headers: bearer, body: chat('openai/gpt-4o-mini') });
    await send('openai stream', '/v1/chat/completions', {
      headers: bearer,
      body: chat('openai/gpt-4o-mini', { stream: true, stream_options: { include_usage: true } }),
    });
    await send('upstream 401 repeating the key', '/v1/chat/completions', {
      headers: bearer,
      body: chat('rejected/gpt-4o-mini'),
    });
    await send('upstream 401, streaming', '/v1/chat/completions', {
      headers: bearer,
      body: chat('rejected/gpt-4o-mini', { stream: true }),
    });
    await send('upstream unreachable', '/v1/chat/completions', {
      headers: bearer,
      body: chat('unreachable/gpt-4o-mini'),
    });
    await send('anthropic', '/anthropic/v1/messages', {
      headers: { 'x-api-key': VIRTUAL_KEY, 'anthropic-version': '2023-06-01' },
      body: chat('anthropic/claude-sonnet-4-5'),
    });
    await send('genai, key in the query string', `/genai/v1beta/models/${encodeURIComponent('gemini/gemini-2.5-flash')}:generateContent?key=${VIRTUAL_KEY}`, {
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    await send('bedrock', `/bedrock/model/${encodeURIComponent('bedrock/us.amazon.nova-micro-v1:0')}/converse`, {
      headers: bearer,
      body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    });
    await send('malformed JSON', '/v1/chat/completions', { headers: bearer, body: '{"model": ' });
    await send('unknown model', '/v1/chat/completions', { headers: bearer, body: chat('nobody/nothing') });
    await send('wrong virtual key', '/v1/chat/completions', {
      headers: { authorization: `Bearer ${WRONG_VIRTUAL_KEY}` },
      body: chat('openai/gpt-4o-mini'),
    });
    await send('wrong virtual key in the query string', `/genai/v1beta/models/gemini-2.5-flash:generateContent?key=${WRONG_VIRTUAL_KEY}`, {
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    await send('admin: provider with a key', '/api/providers', {
      headers: { authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({
        id: 'admin-made',
        type: 'openai',
        baseUrl: `${upstream.url}/rejected/v1`,
        keys: [{ name: 'k', value: SECRETS.adminMade }],
      }),
    });
    await send('admin-made provider repeating its key', '/v1/chat/completions', {
      headers: bearer,
      body: chat('admin-made/gpt-4o-mini'),
    });
    await send('admin: wrong admin key', '/api/providers', {
      headers: { authorization: `Bearer ${VIRTUAL_KEY}` },
      body: JSON.stringify({ id: 'x', type: 'openai', keys: [{ value: SECRETS.adminMade }] }),
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.stop();
    await bedrock?.stop();
  });

  it('served the requests as expected (so the log below covers successes and failures)', () => {
    expect(answers.map(({ what, status }) => `${what}: ${status}`)).toEqual([
      'openai chat: 200',
      'openai stream: 200',
      'upstream 401 repeating the key: 401',
      'upstream 401, streaming: 401',
      'upstream unreachable: 502',
      'anthropic: 200',
      'genai, key in the query string: 200',
      'bedrock: 200',
      'malformed JSON: 400',
      'unknown model: 404',
      'wrong virtual key: 401',
      'wrong virtual key in the query string: 401',
      'admin: provider with a key: 201',
      'admin-made provider repeating its key: 401',
      'admin: wrong admin key: 401',
    ]);
  });

  it('logs none of the provider keys, virtual keys or the admin key, even at trace level', async () => {
    await gateway.stop();
    const output = gateway.output();
    const lines = output.split('\n').filter((line) => line.startsWith('{'));
    // The log was captured: one access line per inference request, errors among them.
    const access = lines.filter((line) => line.includes('"msg":"request"'));
    expect(access.length).toBeGreaterThanOrEqual(12);
    expect(output).toContain('"error":"upstream_authentication"');
    expect(output).toContain('"error":"upstream_unreachable"');
    for (const [name, secret] of Object.entries({
      ...SECRETS,
      virtualKey: VIRTUAL_KEY,
      wrongVirtualKey: WRONG_VIRTUAL_KEY,
      admin: ADMIN,
      encryption: ENCRYPTION_KEY,
    })) {
      expect(output.includes(secret), `${name} appears in the log`).toBe(false);
    }
  });

  it('answers clients without any provider key, even when the provider repeated it', () => {
    for (const { what, body } of answers) {
      for (const [name, secret] of Object.entries(SECRETS))
        expect(body.includes(secret), `${name} in the answer to "${what}"`).toBe(false);
    }
    // What the provider said still reaches the client, without the key.
    expect(answers.find(({ what }) => what === 'upstream 401 repeating the key')?.body).toContain(
      'Incorrect API key provided: [redacted].',
    );
  });
});
