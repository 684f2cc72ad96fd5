import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/*
 * Passthrough applies a vendor's declared quirks as member patches: a parameter the vendor does
 * not support (Groq logprobs, Cerebras penalties, top_k where it is not accepted) is removed
 * with the same warning as on the canonical path, a differently spelled one is renamed — so both
 * paths send the vendor the same request and report the same warnings. Bodies needing deeper
 * changes (a developer message to a vendor without that role) take the canonical path.
 */

let upstream: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.otherwise(() => fixtureReply('openai-chat/text.json'));
  gateway = await startTestGateway({
    providers: {
      groq: { baseUrl: `${upstream.url}/groq/v1`, keys: [{ value: 'g' }] },
      cerebras: { baseUrl: `${upstream.url}/cerebras/v1`, keys: [{ value: 'c' }] },
      deepseek: { baseUrl: `${upstream.url}/deepseek/v1`, keys: [{ value: 'd' }] },
      'groq-canonical': { type: 'groq', baseUrl: `${upstream.url}/groq/v1`, keys: [{ value: 'g' }], passthrough: false },
      'cerebras-canonical': { type: 'cerebras', baseUrl: `${upstream.url}/cerebras/v1`, keys: [{ value: 'c' }], passthrough: false },
      'deepseek-canonical': { type: 'deepseek', baseUrl: `${upstream.url}/deepseek/v1`, keys: [{ value: 'd' }], passthrough: false },
    },
  });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.stop();
});

async function send(body: Record<string, unknown>): Promise<{ headers: Headers; sent: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
  return { headers: response.headers, sent: upstream.requests.at(-1)!.json as Record<string, unknown> };
}

describe('passthrough only when the vendor takes the body as sent', () => {
  it('forwards a plain body unchanged', async () => {
    const { headers, sent } = await send({ model: 'groq/llama-3.3-70b-versatile', temperature: 0.3 });
    expect(headers.get('x-switchyard-passthrough')).toBe('true');
    expect(sent).toEqual({ messages: [{ role: 'user', content: 'hi' }], model: 'llama-3.3-70b-versatile', temperature: 0.3 });
  });

  it.each([
    ['groq/llama-3.3-70b-versatile', { logprobs: true }, 'logprobs'],
    ['cerebras/llama-3.3-70b', { frequency_penalty: 0.5 }, 'frequency_penalty'],
    ['deepseek/deepseek-chat', { top_k: 5 }, 'top_k'],
  ])('%s with %j drops the parameter and warns, on either path', async (model, extra, param) => {
    const { headers, sent } = await send({ model, ...extra });
    expect(headers.get('x-switchyard-passthrough')).toBe('true');
    expect(headers.get('x-switchyard-warnings')).toContain(`unsupported-parameter(${param})`);
    expect(sent[param]).toBeUndefined();
    const canonical = await send({ model: model.replace('/', '-canonical/'), ...extra });
    expect(canonical.headers.get('x-switchyard-passthrough')).toBeNull();
    expect(canonical.headers.get('x-switchyard-warnings')).toBe(headers.get('x-switchyard-warnings'));
    expect(canonical.sent).toEqual(sent);
  });

  it('renames max_completion_tokens for vendors that take max_tokens', async () => {
    const { headers, sent } = await send({ model: 'groq/llama-3.3-70b-versatile', max_completion_tokens: 50 });
    expect(headers.get('x-switchyard-passthrough')).toBe('true');
    expect(sent.max_tokens).toBe(50);
    expect(sent.max_completion_tokens).toBeUndefined();
  });

  it('sends a developer message the canonical way to a vendor without that role', async () => {
    const { headers, sent } = await send({ model: 'groq/llama-3.3-70b-versatile', messages: [{ role: 'developer', content: 'be brief' }, { role: 'user', content: 'hi' }] });
    expect(headers.get('x-switchyard-passthrough')).toBeNull();
    expect((sent.messages as Array<{ role: string }>)[0]!.role).toBe('system');
  });

  it('refuses in strict mode on the passthrough path too', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchyard-strict': 'true' },
      body: JSON.stringify({ model: 'groq/llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'hi' }], logprobs: true }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_parameter');
  });
});
