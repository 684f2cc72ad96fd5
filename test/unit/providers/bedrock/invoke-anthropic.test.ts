import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StreamEvent } from '../../../../src/core/index.js';
import { encodeEventStreamEvent, encodeEventStreamException, EventStreamFramer } from '../../../../src/transport/aws-eventstream.js';
import { readFixture, readFixtureJson, readFixtureText, splitAtRandomOffsets } from '../../../helpers/fixtures.js';
import { bedrockProvider, callContext, chat, STATIC_KEYS, upstreamRequest } from './bedrock-test-provider.js';

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const provider = bedrockProvider({ region: 'us-east-1', api: 'invoke', betas: ['context-1m-2025-08-07'], keys: [STATIC_KEYS] });

/** The Anthropic converter sends a lone text block as a string; the recorder's client sent the block form. */
function blockForm(body: unknown): unknown {
  const copy = structuredClone(body) as { messages: Array<{ content: unknown }> };
  for (const message of copy.messages) if (typeof message.content === 'string') message.content = [{ type: 'text', text: message.content }];
  return copy;
}

function decodeStream(pieces: Buffer[], model = 'anthropic.claude-3-sonnet-20240229-v1:0'): StreamEvent[] {
  const decoder = provider.chat!.createStreamDecoder(callContext(provider, model));
  const events: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => {
    events.push(event);
  };
  const framer = new EventStreamFramer((message) => decoder.push(message, emit));
  for (const piece of pieces) framer.push(piece);
  framer.end();
  decoder.end(emit);
  return events;
}

describe('bedrock InvokeModel for Claude (api: invoke): the Anthropic dialect behind SigV4', () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-06-01T12:00:00Z'));
  });
  afterAll(() => vi.useRealTimers());

  it('builds the recorded InvokeModel body (anthropic_version, no model) for the recorded request', async () => {
    const plain = bedrockProvider({ region: 'us-east-1', api: 'invoke', keys: [STATIC_KEYS] });
    const request = await upstreamRequest(
      plain,
      chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'summarize the plot to the lord of the rings in a dozen words' }] }], maxOutputTokens: 50, temperature: 0 }),
      callContext(plain, 'anthropic.claude-3-sonnet-20240229-v1:0'),
    );
    expect(request.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke');
    expect(blockForm(request.json)).toEqual(readFixtureJson('bedrock-invoke/invoke-anthropic-messages.request.json'));
    const stream = await upstreamRequest(
      plain,
      chat({ stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'summarize the plot to the lord of the rings in a dozen words' }] }], maxOutputTokens: 50, temperature: 0 }),
      callContext(plain, 'anthropic.claude-3-sonnet-20240229-v1:0'),
    );
    expect(stream.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke-with-response-stream');
    expect(blockForm(stream.json)).toEqual(readFixtureJson('bedrock-invoke/invoke-stream-anthropic-messages.request.json'));
  });

  it('a tool-use request with thinking, betas in the body, and the model limit for max_tokens', async () => {
    const context = callContext(provider, CLAUDE);
    const request = await upstreamRequest(
      provider,
      chat({
        stream: true,
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }] },
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'Use the tool.', signature: 'EqQBCgIYAhIM' },
              { type: 'tool-call', id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris"}' },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_01', content: '21°C' }] },
        ],
        tools: [{ type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
        reasoning: { budgetTokens: 2048 },
      }),
      context,
    );
    expect(request).toMatchInlineSnapshot(`
      {
        "headers": {
          "accept": "application/vnd.amazon.eventstream",
          "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250601/us-west-2/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-content-sha256;x-amz-date, Signature=<signature>",
          "content-type": "application/json",
          "host": "bedrock-runtime.us-west-2.amazonaws.com",
          "x-amz-content-sha256": "364f5dfa626df9b5af7498cec2e1ad8b4b2d1c789a82079da6575ba83c1b8317",
          "x-amz-date": "20250601T120000Z",
        },
        "json": {
          "anthropic_beta": [
            "context-1m-2025-08-07",
          ],
          "anthropic_version": "bedrock-2023-05-31",
          "max_tokens": 64000,
          "messages": [
            {
              "content": "Weather in Paris?",
              "role": "user",
            },
            {
              "content": [
                {
                  "signature": "EqQBCgIYAhIM",
                  "thinking": "Use the tool.",
                  "type": "thinking",
                },
                {
                  "id": "toolu_01",
                  "input": {
                    "city": "Paris",
                  },
                  "name": "get_weather",
                  "type": "tool_use",
                },
              ],
              "role": "assistant",
            },
            {
              "content": [
                {
                  "content": "21°C",
                  "tool_use_id": "toolu_01",
                  "type": "tool_result",
                },
              ],
              "role": "user",
            },
          ],
          "system": [
            {
              "cache_control": {
                "type": "ephemeral",
              },
              "text": "Be brief.",
              "type": "text",
            },
          ],
          "thinking": {
            "budget_tokens": 2048,
            "type": "enabled",
          },
          "tools": [
            {
              "description": "Weather for a city",
              "input_schema": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
              "name": "get_weather",
            },
          ],
        },
        "method": "POST",
        "origin": "https://bedrock-runtime.us-west-2.amazonaws.com",
        "path": "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream",
      }
    `);
    expect(context.warnings).toMatchInlineSnapshot(`
      [
        {
          "code": "other",
          "message": "Anthropic requires max_tokens and the request had none; sent 64000 (the model's maximum from the catalog)",
          "param": "max_tokens",
        },
      ]
    `);
  });

  it('decodes the recorded InvokeModel answer (a plain Anthropic message)', () => {
    const response = provider.chat!.decodeResponse(readFixtureJson('bedrock-invoke/invoke-anthropic-messages.json'), callContext(provider, 'anthropic.claude-3-sonnet-20240229-v1:0'));
    expect(response).toMatchObject({
      id: 'msg_01E6sPP1ksqicYCaBrkvzna8',
      choices: [{ content: [{ type: 'text', text: 'Hobbits embark on epic quest to destroy powerful ring, battling dark forces.' }], finishReason: { unified: 'stop', raw: 'end_turn' } }],
      usage: { inputTokens: 21, outputTokens: 22 },
    });
  });

  it('decodes the recorded InvokeModelWithResponseStream transcript, whole and cut at random offsets', () => {
    const bytes = readFixture('bedrock-invoke/invoke-stream-anthropic-messages.eventstream');
    const whole = decodeStream([bytes]);
    for (const seed of [5, 8, 13]) expect(decodeStream(splitAtRandomOffsets(bytes, seed, 31))).toEqual(whole);
    const decoded = readFixtureText('bedrock-invoke/invoke-stream-anthropic-messages.events.jsonl')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line).bytes_decoded);
    const text = decoded.map((event) => (event.type === 'content_block_delta' ? event.delta.text : '')).join('');
    expect(whole.map((event) => (event.type === 'text-delta' ? event.delta : '')).join('')).toBe(text);
    expect(whole.find((event) => event.type === 'response-metadata')).toMatchObject({ id: 'msg_013MVoqeRpeko9EhHVcBdJvk', model: 'claude-3-sonnet-28k-20240229' });
    expect(whole.filter((event) => event.type === 'usage').at(-1)).toMatchObject({ usage: { inputTokens: 21, outputTokens: 22 } });
    expect(whole.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' } });
  });

  it('an exception frame in the middle of an InvokeModel stream ends it with the mapped error', () => {
    const start = Buffer.from(JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', usage: { input_tokens: 3, output_tokens: 1 } } })).toString('base64');
    const events = decodeStream([
      encodeEventStreamEvent('chunk', { bytes: start }),
      encodeEventStreamException('modelTimeoutException', { message: 'Model has timed out in processing the request.' }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_timeout', retryable: true, upstream: { type: 'ModelTimeoutException' } } });
  });

  it('other models stay on Converse; mapped names pick the route from the Bedrock id', async () => {
    const mapped = bedrockProvider({ region: 'us-east-1', api: 'invoke', modelIds: { sonnet: CLAUDE, 'app-profile': 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/x1' }, modelFamilies: { 'arn:aws:bedrock:*:application-inference-profile/x1': 'anthropic' }, keys: [STATIC_KEYS] });
    const request = chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxOutputTokens: 10 });
    expect((await upstreamRequest(mapped, request, callContext(mapped, 'us.amazon.nova-pro-v1:0'))).path).toBe('/model/us.amazon.nova-pro-v1%3A0/converse');
    expect((await upstreamRequest(mapped, request, callContext(mapped, 'sonnet'))).path).toBe(`/model/${encodeURIComponent(CLAUDE)}/invoke`);
    expect((await upstreamRequest(mapped, request, callContext(mapped, 'app-profile'))).path).toBe('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aapplication-inference-profile%2Fx1/invoke');
  });

  it('counts tokens with Bedrock CountTokens (Converse form)', async () => {
    const counter = provider.countTokens!;
    const context = callContext(provider, CLAUDE);
    const built = counter.buildRequest(chat({ messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxOutputTokens: 5 }), context);
    expect(built.path).toBe(`/model/${encodeURIComponent(CLAUDE)}/count-tokens`);
    expect(JSON.parse(String(built.body))).toEqual({ input: { converse: { messages: [{ role: 'user', content: [{ text: 'hi' }] }], system: [{ text: 'Be brief.' }] } } });
    expect(counter.decodeResponse({ inputTokens: 12 }, context)).toBe(12);
    expect(() => counter.decodeResponse({}, context)).toThrowError(/without inputTokens/);
  });
});
