import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ChatResponse, GatewayError, StreamEvent } from '../../../src/core/index.js';
import { validateConfig } from '../../../src/config/load-config.js';
import { canonicalStream } from '../../../src/pipeline/canonical-stream.js';
import { accumulateEvents } from '../../../src/pipeline/stream-accumulator.js';
import type { Provider, ProviderCallContext } from '../../../src/providers/provider.js';
import { getProviderDefinition } from '../../../src/providers/registry.js';
import type { UpstreamResponse } from '../../../src/transport/send-upstream.js';
import { readFixture, readFixtureJson, splitAtRandomOffsets } from '../../helpers/fixtures.js';
import '../../../src/transport/aws-eventstream.js';

/*
 * ONE conformance suite, run against every provider adapter through the uniform Provider
 * interface and the production stream path (framer → decoder → canonical events): plain text,
 * a stream, a tool call, a streamed tool call, reasoning, usage, every error class, a mid-stream
 * error, and a client abort that stops reading the upstream body. Each adapter is one row of
 * recorded real traffic; a scenario an adapter has no recording for is listed in `skip` with the
 * reason — never silently left out.
 */

type Scenario = 'text' | 'stream' | 'tool call' | 'streamed tool call' | 'reasoning' | 'mid-stream error';

interface ErrorSample {
  headers?: Record<string, string>;
  body: string;
}

interface AdapterRow {
  name: string;
  type: string;
  config: Record<string, unknown>;
  model: string;
  fixtures: Partial<Record<Scenario, string>>;
  skip?: Partial<Record<Scenario, string>>;
  /** The provider's own error answer for an HTTP status. */
  error(status: number, message: string): ErrorSample;
  /** Error classes this provider expresses differently (e.g. Bedrock has no 529). */
  errorStatuses?: number[];
}

const openAiError = (status: number, message: string): ErrorSample => ({
  body: JSON.stringify({ error: { message, type: status === 429 ? 'requests' : 'invalid_request_error', code: null, param: null } }),
});

const anthropicError = (status: number, message: string): ErrorSample => ({
  body: JSON.stringify({
    type: 'error',
    error: {
      type: { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 429: 'rate_limit_error', 500: 'api_error', 503: 'api_error', 529: 'overloaded_error' }[status] ?? 'api_error',
      message,
    },
  }),
});

const googleError = (status: number, message: string): ErrorSample => ({
  body: JSON.stringify({
    error: {
      code: status,
      message,
      status: { 400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' }[status],
    },
  }),
});

const bedrockError = (status: number, message: string): ErrorSample => ({
  headers: { 'x-amzn-errortype': { 400: 'ValidationException', 401: 'UnrecognizedClientException', 403: 'AccessDeniedException', 404: 'ResourceNotFoundException', 429: 'ThrottlingException', 500: 'InternalServerException', 503: 'ServiceUnavailableException' }[status] ?? 'InternalServerException' },
  body: JSON.stringify({ message }),
});

const ROWS: AdapterRow[] = [
  {
    name: 'openai (chat completions)',
    type: 'openai',
    config: { keys: [{ value: 'k' }] },
    model: 'gpt-4o',
    fixtures: {
      text: 'openai-chat/text.json',
      stream: 'openai-chat/stream-text.sse',
      'tool call': 'openai-chat/parallel-tool-calls.json',
      'streamed tool call': 'openai-chat/stream-parallel-tool-calls.sse',
      reasoning: 'deepseek/reasoning-non-stream.json',
      'mid-stream error': 'groq/stream-midstream-error-tool-use-failed.sse',
    },
    error: openAiError,
  },
  {
    name: 'openai (Responses API)',
    type: 'openai',
    config: { keys: [{ value: 'k' }], api: 'responses' },
    model: 'gpt-4o',
    fixtures: {
      text: 'openai-responses/output-text.json',
      stream: 'openai-responses/stream-cached-tokens.sse',
      'tool call': 'openai-responses/function-call.json',
      'streamed tool call': 'openai-responses/stream-function-call.sse',
      reasoning: 'openai-responses/reasoning-encrypted-content.json',
      'mid-stream error': 'openai-responses/stream-error-insufficient-quota.sse',
    },
    error: openAiError,
  },
  {
    name: 'mistral (OpenAI-compatible, content arrays)',
    type: 'mistral',
    config: { keys: [{ value: 'k' }] },
    model: 'magistral-medium-latest',
    fixtures: {
      text: 'mistral/text.json',
      stream: 'mistral/stream-text.sse',
      'tool call': 'mistral/tool-call.json',
      'streamed tool call': 'mistral/stream-tool-call.sse',
      reasoning: 'mistral/thinking-magistral.json',
    },
    skip: { 'mid-stream error': 'no recording of Mistral failing mid-stream; the decoder is the OpenAI row’s' },
    error: openAiError,
  },
  {
    name: 'azure (chat completions)',
    type: 'azure',
    config: { baseUrl: 'https://example.openai.azure.com', keys: [{ value: 'k' }], deployments: { 'gpt-4o': 'gpt-4o-deployment' } },
    model: 'gpt-4o',
    fixtures: {
      text: 'azure-openai/chat-content-filter-results.json',
      stream: 'azure-openai/chat-stream-model-router.sse',
    },
    skip: {
      'tool call': 'no Azure chat recording with a tool call; the decoder is the OpenAI row’s',
      'streamed tool call': 'no Azure chat recording with a streamed tool call; the decoder is the OpenAI row’s',
      reasoning: 'no Azure chat recording with reasoning',
      'mid-stream error': 'no recording of Azure failing mid-stream',
    },
    error: openAiError,
  },
  {
    name: 'anthropic',
    type: 'anthropic',
    config: { keys: [{ value: 'k' }] },
    model: 'claude-sonnet-4-5',
    fixtures: {
      text: 'anthropic-messages/text.json',
      stream: 'anthropic-messages/stream-text.sse',
      'tool call': 'anthropic-messages/parallel-tool-use.json',
      'streamed tool call': 'anthropic-messages/stream-tool-use-input-json-delta.sse',
      reasoning: 'anthropic-messages/thinking.json',
    },
    skip: { 'mid-stream error': 'no recording of an Anthropic error event; covered by anthropic-stream-conformance.test.ts with the documented event' },
    error: anthropicError,
  },
  {
    name: 'gemini',
    type: 'gemini',
    config: { keys: [{ value: 'k' }] },
    model: 'gemini-2.5-flash',
    fixtures: {
      text: 'gemini/text.json',
      stream: 'gemini/stream-text.sse',
      'tool call': 'gemini/parallel-function-calls.json',
      'streamed tool call': 'gemini/stream-function-call.sse',
      reasoning: 'gemini/thinking.json',
    },
    skip: { 'mid-stream error': 'no recording of Gemini failing mid-stream; covered by the Gemini decoder’s own conformance file' },
    error: googleError,
    errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  },
  {
    name: 'vertex (Gemini on Vertex AI)',
    type: 'vertex',
    config: { project: 'my-project', region: 'us-central1', keys: [{ value: 'ya29.static-token' }] },
    model: 'gemini-2.5-flash',
    fixtures: {
      text: 'gemini/text.json',
      stream: 'gemini/stream-text.sse',
      'tool call': 'gemini/parallel-function-calls.json',
      'streamed tool call': 'gemini/vertex-stream-function-call-partial-args.sse',
      reasoning: 'gemini/thinking.json',
    },
    skip: { 'mid-stream error': 'no recording of Vertex failing mid-stream' },
    error: googleError,
    errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  },
  {
    name: 'vertex-anthropic (Claude on Vertex AI)',
    type: 'vertex-anthropic',
    config: { project: 'my-project', region: 'us-east5', keys: [{ value: 'ya29.static-token' }] },
    model: 'claude-sonnet-4-5@20250929',
    fixtures: {
      text: 'anthropic-messages/text.json',
      stream: 'anthropic-messages/stream-text.sse',
      'tool call': 'anthropic-messages/tool-use.json',
      'streamed tool call': 'anthropic-messages/stream-tool-use-input-json-delta.sse',
      reasoning: 'anthropic-messages/thinking-then-tool-use.json',
    },
    skip: { 'mid-stream error': 'no recording of an Anthropic error event' },
    error: anthropicError,
  },
  {
    name: 'bedrock (Converse)',
    type: 'bedrock',
    config: { region: 'us-east-1', keys: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }] },
    model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    fixtures: {
      text: 'bedrock-converse/converse-text.json',
      stream: 'bedrock-converse/converse-stream-text.eventstream',
      'tool call': 'bedrock-converse/converse-thinking-tool-use.json',
      'streamed tool call': 'bedrock-converse/converse-stream-tool-use.eventstream',
      reasoning: 'bedrock-converse/converse-reasoning.json',
    },
    skip: { 'mid-stream error': 'no recording of an exception frame; covered by bedrock-aws-sdk.test.ts with ModelStreamErrorException frames' },
    error: bedrockError,
    errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  },
  {
    name: 'bedrock (Claude through InvokeModel)',
    type: 'bedrock',
    config: { region: 'us-east-1', api: 'invoke', keys: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }] },
    model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    fixtures: { text: 'bedrock-invoke/invoke-anthropic-messages.json', stream: 'bedrock-invoke/invoke-stream-anthropic-messages.eventstream' },
    skip: {
      'tool call': 'no InvokeModel recording with a tool call; the Anthropic decoder is the anthropic row’s',
      'streamed tool call': 'no InvokeModel recording with a streamed tool call',
      reasoning: 'no InvokeModel recording with thinking',
      'mid-stream error': 'no recording of an InvokeModel exception frame',
    },
    error: bedrockError,
    errorStatuses: [400, 401, 403, 404, 429, 500, 503],
  },
  {
    name: 'cohere',
    type: 'cohere',
    config: { keys: [{ value: 'k' }] },
    model: 'command-a-03-2025',
    fixtures: {
      text: 'cohere/text.json',
      stream: 'cohere/stream-text.sse',
      'tool call': 'cohere/tool-call.json',
      'streamed tool call': 'cohere/stream-tool-call.sse',
      reasoning: 'cohere/thinking-non-stream.json',
    },
    skip: { 'mid-stream error': 'no recording of a Cohere stream failing; covered by the Cohere decoder’s tests with its documented events' },
    error: (_status, message) => ({ body: JSON.stringify({ id: 'err-1', message }) }),
  },
];

/** The canonical code and retryability every adapter must give each HTTP error class. */
const ERROR_CLASSES: Array<{ status: number; code: GatewayError['code']; retryable: boolean }> = [
  { status: 400, code: 'upstream_bad_request', retryable: false },
  { status: 401, code: 'upstream_authentication', retryable: false },
  { status: 403, code: 'upstream_permission', retryable: false },
  { status: 404, code: 'upstream_not_found', retryable: false },
  { status: 429, code: 'upstream_rate_limited', retryable: true },
  { status: 500, code: 'upstream_error', retryable: true },
  { status: 503, code: 'upstream_overloaded', retryable: true },
  { status: 529, code: 'upstream_overloaded', retryable: true },
];

function providerFor(row: AdapterRow): { provider: Provider; context: ProviderCallContext } {
  const { config, issues } = validateConfig({ providers: { [row.type]: row.config } }, {});
  if (config === undefined) throw new Error(`${row.name}: ${JSON.stringify(issues)}`);
  const provider = getProviderDefinition(row.type)!.create(config.providers[0]!);
  return { provider, context: { provider: provider.settings, model: row.model, key: provider.settings.keys[0], warnings: [] } };
}

function upstreamResponse(chunks: Buffer[], onEnd?: () => void): UpstreamResponse {
  async function* body(): AsyncGenerator<Buffer> {
    try {
      for (const chunk of chunks) yield chunk;
    } finally {
      onEnd?.();
    }
  }
  return { status: 200, headers: {}, body: Readable.from(body()) as UpstreamResponse['body'] };
}

async function streamEvents(row: AdapterRow, name: string, pieces?: Buffer[]): Promise<StreamEvent[]> {
  const { provider, context } = providerFor(row);
  const chunks = pieces ?? [readFixture(name)];
  const events: StreamEvent[] = [];
  for await (const batch of canonicalStream(upstreamResponse(chunks), provider.chat!.streamFraming, provider.chat!.createStreamDecoder(context), provider.id)) {
    events.push(...batch);
  }
  return events;
}

function decode(row: AdapterRow, name: string): ChatResponse {
  const { provider, context } = providerFor(row);
  return provider.chat!.decodeResponse(readFixtureJson(name), context);
}

const text = (response: ChatResponse) => response.choices[0]!.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
const toolCalls = (response: ChatResponse) => response.choices.flatMap((choice) => choice.content.filter((part) => part.type === 'tool-call'));

function checkToolCalls(response: ChatResponse): void {
  const calls = toolCalls(response);
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.id).not.toBe('');
    expect(call.name).not.toBe('');
    expect(() => JSON.parse(call.arguments || '{}')).not.toThrow();
  }
}

function checkUsage(response: ChatResponse): void {
  expect(response.usage?.inputTokens).toBeGreaterThan(0);
  expect(response.usage?.outputTokens).toBeGreaterThan(0);
}

for (const row of ROWS) {
  describe(`provider conformance: ${row.name}`, () => {
    const scenario = (name: Scenario, run: (fixture: string) => void | Promise<void>): void => {
      const fixture = row.fixtures[name];
      const reason = row.skip?.[name];
      if (fixture === undefined) {
        // No recording of this adapter doing it: the row must say why (where it is covered).
        it(`${name}: not replayed here — ${reason ?? 'NO REASON GIVEN'}`, () => expect(reason).toBeTruthy());
        return;
      }
      it(name, () => run(fixture));
    };

    scenario('text', (fixture) => {
      const response = decode(row, fixture);
      expect(text(response).length).toBeGreaterThan(0);
      expect(response.choices[0]!.finishReason.unified).toMatch(/^(stop|length|content-filter)$/);
      checkUsage(response);
    });

    scenario('stream', async (fixture) => {
      const whole = await streamEvents(row, fixture);
      const response = accumulateEvents(whole).response();
      expect(text(response).length).toBeGreaterThan(0);
      expect(response.choices[0]!.finishReason.unified).not.toBe('other');
      checkUsage(response);
      expect(whole.some((event) => event.type === 'error')).toBe(false);
      for (let seed = 1; seed <= 5; seed++) {
        expect(await streamEvents(row, fixture, splitAtRandomOffsets(readFixture(fixture), seed, 37))).toEqual(whole);
      }
    });

    scenario('tool call', (fixture) => {
      const response = decode(row, fixture);
      checkToolCalls(response);
      expect(response.choices[0]!.finishReason.unified).toBe('tool-calls');
    });

    scenario('streamed tool call', async (fixture) => {
      const events = await streamEvents(row, fixture, splitAtRandomOffsets(readFixture(fixture), 3, 29));
      const response = accumulateEvents(events).response();
      checkToolCalls(response);
      const deltas = events.filter((event) => event.type === 'tool-input-delta');
      expect(deltas.length).toBeGreaterThan(0);
      // Every call's deltas add up to its final arguments.
      for (const call of toolCalls(response)) {
        const joined = deltas.filter((event) => event.id === call.id).map((event) => event.delta).join('');
        expect(joined === call.arguments || JSON.stringify(JSON.parse(joined || '{}')) === JSON.stringify(JSON.parse(call.arguments || '{}'))).toBe(true);
      }
    });

    scenario('reasoning', (fixture) => {
      const response = decode(row, fixture);
      const reasoning = response.choices[0]!.content.filter((part) => part.type === 'reasoning');
      expect(reasoning.length).toBeGreaterThan(0);
      expect(reasoning.some((part) => part.text.length > 0 || part.redactedData !== undefined || part.signature !== undefined)).toBe(true);
    });

    scenario('mid-stream error', async (fixture) => {
      const events = await streamEvents(row, fixture);
      const failure = events.find((event) => event.type === 'error');
      expect(failure).toBeDefined();
      expect((failure as { error: GatewayError }).error.message.length).toBeGreaterThan(0);
    });

    for (const errorClass of ERROR_CLASSES) {
      const expressed = row.errorStatuses ?? ERROR_CLASSES.map((entry) => entry.status);
      if (!expressed.includes(errorClass.status)) continue;
      it(`error class HTTP ${errorClass.status} → ${errorClass.code}`, () => {
        const { provider } = providerFor(row);
        const sample = row.error(errorClass.status, `conformance ${errorClass.status}`);
        const headers = { ...sample.headers, ...(errorClass.status === 429 ? { 'retry-after': '3' } : {}) };
        const error = provider.mapError(errorClass.status, headers, sample.body);
        expect(error.code).toBe(errorClass.code);
        expect(error.retryable).toBe(errorClass.retryable);
        expect(error.message).toContain(`conformance ${errorClass.status}`);
        if (errorClass.status === 429) expect(error.retryAfterMs).toBe(3000);
      });
    }

    it('a client abort stops reading the upstream body', async () => {
      const fixture = row.fixtures.stream!;
      const { provider, context } = providerFor(row);
      let released = false;
      const pieces = splitAtRandomOffsets(readFixture(fixture), 11, 64);
      const iterator = canonicalStream(upstreamResponse(pieces, () => (released = true)), provider.chat!.streamFraming, provider.chat!.createStreamDecoder(context), provider.id);
      const first = await iterator.next();
      expect(first.done).toBe(false);
      await iterator.return(undefined);
      expect(released).toBe(true);
    });
  });
}
