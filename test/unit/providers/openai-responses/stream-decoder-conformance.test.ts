import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { canonicalStream } from '../../../../src/pipeline/canonical-stream.js';
import type { Provider } from '../../../../src/providers/provider.js';
import { ConnectionPools } from '../../../../src/transport/connection-pools.js';
import { DEFAULT_TIMEOUTS } from '../../../../src/transport/upstream-request.js';
import { sendUpstream } from '../../../../src/transport/send-upstream.js';
import { ClientAbortError } from '../../../../src/transport/map-transport-error.js';
import { readFixture } from '../../../helpers/fixtures.js';
import { fixtureReply, MockUpstream } from '../../../helpers/mock-upstream.js';
import { decodeSse } from '../../../helpers/decode-stream.js';
import { summarise } from './decode-stream.js';
import { callContext, providerFromConfig } from './provider-from-config.js';

/** A scenario an implementation has no recording of: the row must say why, instead of a skip. */
function notReplayed(entry: { skip: string } | string) {
  return (title: string, _body: () => void) => it(title, () => expect(typeof entry === 'string' ? entry : entry.skip).toBeTruthy());
}

/*
 * One conformance table for the stream decoders of this area: the Responses dialect (on OpenAI
 * and on Azure recordings) and the Azure chat decoder. Each implementation names a recording
 * per capability, or a written reason when its provider has no such case. Errors are checked
 * as HTTP errors (mapError), as failures inside an HTTP-200 stream, as truncated streams, as
 * broken connections and as client aborts.
 */

interface Implementation {
  name: string;
  provider: Provider;
  model: string;
  text: string;
  tools: string | { skip: string };
  reasoning: string | { skip: string };
  usage: { fixture: string; expect: Record<string, number> };
  /** A failure inside an HTTP-200 stream. */
  streamFailure: string | { skip: string };
}

const responses = providerFromConfig('openai', { keys: [{ value: 'k' }], api: 'responses' });
const azureChat = providerFromConfig('azure', { baseUrl: 'https://r.openai.azure.com', keys: [{ value: 'k' }] });
const azureResponses = providerFromConfig('azure', { baseUrl: 'https://r.openai.azure.com', keys: [{ value: 'k' }], api: 'responses' });

const IMPLEMENTATIONS: Implementation[] = [
  {
    name: 'OpenAI Responses',
    provider: responses,
    model: 'gpt-5',
    text: 'openai-responses/stream-text-after-function-output.sse',
    tools: 'openai-responses/stream-function-call.sse',
    reasoning: 'openai-responses/stream-reasoning-summary-step1.sse',
    usage: { fixture: 'openai-responses/stream-web-search-reasoning-cached-usage.sse', expect: { inputTokens: 9463, cacheReadTokens: 8320, outputTokens: 582, reasoningTokens: 512 } },
    streamFailure: 'openai-responses/stream-error-insufficient-quota.sse',
  },
  {
    name: 'Azure Responses',
    provider: azureResponses,
    model: 'gpt-5.1',
    text: 'azure-openai/responses-stream-text.sse',
    tools: 'azure-openai/responses-stream-tool-call.sse',
    reasoning: { skip: 'no Azure Responses recording with reasoning output (the recorded requests used reasoning effort "none")' },
    usage: { fixture: 'azure-openai/responses-stream-tool-call.sse', expect: { inputTokens: 45, outputTokens: 24, cacheReadTokens: 0, reasoningTokens: 0 } },
    streamFailure: { skip: 'no Azure recording of a failing Responses stream; the decoder is the one tested on OpenAI\'s' },
  },
  {
    name: 'Azure chat completions',
    provider: azureChat,
    model: 'gpt-4o-mini',
    text: 'azure-openai/chat-stream-content-filter-results.sse',
    tools: { skip: 'no Azure chat tool-call stream recorded; tool deltas are decoded by the OpenAI chat decoder (tested on openai-chat recordings)' },
    reasoning: { skip: 'Azure chat completions return no reasoning text (only reasoning token counts)' },
    usage: { fixture: 'azure-openai/chat-stream-model-router.sse', expect: { inputTokens: 15, outputTokens: 78, reasoningTokens: 64, cacheReadTokens: 0 } },
    streamFailure: { skip: 'no recording of an Azure chat stream failing inside HTTP 200' },
  },
];

function decode(implementation: Implementation, fixture: string): StreamEvent[] {
  const decoder = implementation.provider.chat!.createStreamDecoder(callContext(implementation.provider, implementation.model));
  return decodeSse([readFixture(fixture)], decoder);
}

describe.each(IMPLEMENTATIONS)('$name stream decoder conformance', (implementation) => {
  it('text: blocks open, stream and close; the response finishes once', () => {
    const events = decode(implementation, implementation.text);
    const summary = summarise(events);
    expect(summary.text.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
    expect(events[0]?.type).toBe('response-metadata');
    expect(summary.errors).toEqual([]);
  });

  (typeof implementation.tools === 'string' ? it : notReplayed(implementation.tools))(`tools with streamed argument deltas${typeof implementation.tools === 'string' ? '' : ` — not replayed here: ${implementation.tools.skip}`}`, () => {
    const events = decode(implementation, implementation.tools as string);
    const summary = summarise(events);
    expect(summary.calls.length).toBeGreaterThan(0);
    for (const call of summary.calls) {
      const deltas = events.filter((event) => event.type === 'tool-input-delta' && event.id === call.id).map((event) => (event as { delta: string }).delta);
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(call.arguments);
      expect(() => JSON.parse(call.arguments)).not.toThrow();
    }
    expect(summary.finish?.startsWith('tool-calls/')).toBe(true);
  });

  (typeof implementation.reasoning === 'string' ? it : notReplayed(implementation.reasoning))(`reasoning${typeof implementation.reasoning === 'string' ? '' : ` — not replayed here: ${implementation.reasoning.skip}`}`, () => {
    const events = decode(implementation, implementation.reasoning as string);
    expect(summarise(events).reasoning.length).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'reasoning-end' && event.redactedData !== undefined)).toBe(true);
  });

  it('usage with cache-read and reasoning tokens', () => {
    expect(summarise(decode(implementation, implementation.usage.fixture)).usage).toMatchObject(implementation.usage.expect);
  });

  (typeof implementation.streamFailure === 'string' ? it : notReplayed(implementation.streamFailure))(`a failure inside an HTTP-200 stream${typeof implementation.streamFailure === 'string' ? '' : ` — not replayed here: ${implementation.streamFailure.skip}`}`, () => {
    const events = decode(implementation, implementation.streamFailure as string);
    const error = events.at(-1);
    expect(error?.type).toBe('error');
    expect(events.filter((event) => event.type === 'error')).toHaveLength(1);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('a stream cut before its end is a retryable stream_error, after closing open blocks', () => {
    // Cut at an event boundary: the body ended cleanly, but before the response completed.
    const whole = readFixture(implementation.text);
    const cut = whole.subarray(0, whole.lastIndexOf('\n\n', Math.floor(whole.length * 0.6)) + 2);
    const decoder = implementation.provider.chat!.createStreamDecoder(callContext(implementation.provider, implementation.model));
    const events = decodeSse([cut], decoder);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'stream_error', retryable: true } });
    const starts = events.filter((event) => event.type === 'text-start').length;
    expect(events.filter((event) => event.type === 'text-end')).toHaveLength(starts);
  });

  it('a frame that is not JSON is a bad response', () => {
    const decoder = implementation.provider.chat!.createStreamDecoder(callContext(implementation.provider, implementation.model));
    const events = decodeSse([Buffer.from('data: {not json\n\n')], decoder);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_bad_response' } });
  });

  it('HTTP errors map to canonical codes with retryability', () => {
    const body = (code: string) => JSON.stringify({ error: { message: code, type: code, param: null, code } });
    const cases: Array<[number, string, boolean]> = [
      [400, 'upstream_bad_request', false],
      [401, 'upstream_authentication', false],
      [403, 'upstream_permission', false],
      [404, 'upstream_not_found', false],
      [408, 'upstream_timeout', true],
      [429, 'upstream_rate_limited', true],
      [500, 'upstream_error', true],
      [503, 'upstream_overloaded', true],
    ];
    for (const [status, code, retryable] of cases) {
      expect(implementation.provider.mapError(status, {}, body(`e${status}`))).toMatchObject({ status, code, retryable });
    }
    expect(implementation.provider.mapError(400, {}, body('context_length_exceeded'))).toMatchObject({ code: 'context_length_exceeded' });
  });
});

describe('transport faults under the decoders', () => {
  let upstream: MockUpstream;
  const pools = new ConnectionPools();
  beforeAll(async () => {
    upstream = await new MockUpstream().start();
  });
  afterAll(async () => {
    await pools.close();
    await upstream.stop();
  });

  it('a connection that dies half-way ends the canonical stream with a retryable error', async () => {
    upstream.on('POST', '/die', fixtureReply('openai-responses/stream-function-call.sse', { chunkSize: 300, chunkDelayMs: 2, dieAfterBytes: 1500 }));
    const response = await sendUpstream(pools, { method: 'POST', origin: upstream.url, path: '/die', headers: {}, body: '{}' }, { provider: 'openai', timeouts: DEFAULT_TIMEOUTS });
    const events: StreamEvent[] = [];
    for await (const batch of canonicalStream(response, 'sse', responses.chat!.createStreamDecoder(callContext(responses, 'gpt-4o')), 'openai')) events.push(...batch);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { retryable: true } });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('a client abort stops reading and is not an upstream failure', async () => {
    upstream.on('POST', '/slow', fixtureReply('openai-responses/stream-reasoning-summary-code-interpreter.sse', { chunkSize: 100, chunkDelayMs: 5 }));
    upstream.abortedResponses = 0;
    const controller = new AbortController();
    const response = await sendUpstream(pools, { method: 'POST', origin: upstream.url, path: '/slow', headers: {}, body: '{}' }, { provider: 'openai', timeouts: DEFAULT_TIMEOUTS, signal: controller.signal });
    const iterator = canonicalStream(response, 'sse', responses.chat!.createStreamDecoder(callContext(responses, 'gpt-5')), 'openai');
    await iterator.next();
    controller.abort(new ClientAbortError());
    await expect(
      (async () => {
        for await (const _batch of iterator) {
          // drain until the abort surfaces
        }
      })(),
    ).rejects.toBeInstanceOf(ClientAbortError);
    await expect.poll(() => upstream.abortedResponses, { timeout: 5000 }).toBe(1);
  });
});
