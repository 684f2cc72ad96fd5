import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/*
 * Passthrough forwards the client's bytes only when the vendor takes them as they are. A body
 * with a parameter the vendor declares unsupported (Groq logprobs, Cerebras penalties) or spells
 * otherwise (tool_choice "required" for Mistral, top_k where it is not accepted) takes the
 * canonical path, where the quirk is applied and reported — so both paths agree.
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
  ])('%s with %j goes the canonical way and warns', async (model, extra, param) => {
    const { headers, sent } = await send({ model, ...extra });
    expect(headers.get('x-switchyard-passthrough')).toBeNull();
    expect(headers.get('x-switchyard-warnings')).toContain(`unsupported-parameter(${param})`);
    expect(sent[param]).toBeUndefined();
  });

  it('converts max_completion_tokens for vendors that take max_tokens', async () => {
    const { headers, sent } = await send({ model: 'groq/llama-3.3-70b-versatile', max_completion_tokens: 50 });
    expect(headers.get('x-switchyard-passthrough')).toBeNull();
    expect(sent.max_tokens).toBe(50);
    expect(sent.max_completion_tokens).toBeUndefined();
  });
});
