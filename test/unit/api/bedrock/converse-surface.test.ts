import { describe, expect, it } from 'vitest';
import { ConverseStreamEncoder } from '../../../../src/api/bedrock/converse-stream-encoder.js';
import { decodeConverseRequest } from '../../../../src/api/bedrock/decode-converse-request.js';
import { encodeBedrockError } from '../../../../src/api/bedrock/encode-bedrock-error.js';
import { encodeConverseResponse } from '../../../../src/api/bedrock/encode-converse-response.js';
import type { SurfaceRequestInfo } from '../../../../src/api/surface.js';
import { GatewayError, type ChatResponse, type StreamEvent } from '../../../../src/core/index.js';
import { EventStreamFramer } from '../../../../src/transport/aws-eventstream.js';
import { readFixture, readFixtureJson, readFixtureText } from '../../../helpers/fixtures.js';
import { bedrockProvider, callContext, STATIC_KEYS } from '../../providers/bedrock/bedrock-test-provider.js';

const info = (modelId: string): SurfaceRequestInfo => ({ headers: {}, params: { modelId }, query: undefined });

/** Decode what the encoder wrote back into {eventType: payload} frames. */
function frames(latin1: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const framer = new EventStreamFramer((message) => {
    const name = String(message.headers[':event-type'] ?? `exception:${String(message.headers[':exception-type'])}`);
    out.push({ [name]: JSON.parse(Buffer.from(message.body).toString('utf8')) });
  });
  framer.push(Buffer.from(latin1, 'latin1'));
  framer.end();
  return out;
}

describe('bedrock surface: Converse request decoding', () => {
  it('decodes every recorded Converse request body, and a Bedrock provider re-encodes it identically', () => {
    const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });
    for (const name of ['converse-text', 'converse-thinking-tool-use', 'converse-stream-tool-use', 'converse-stream-thinking', 'converse-stream-cache-write', 'converse-image-input', 'converse-cache-read']) {
      const body = readFixtureJson<Record<string, unknown>>(`bedrock-converse/${name}.request.json`);
      const { request } = decodeConverseRequest(body, info('us.anthropic.claude-sonnet-4-5-20250929-v1:0'), name.includes('stream'));
      const context = callContext(provider, request.model);
      const rebuilt = JSON.parse(String(provider.chat!.buildRequest(request, context).body)) as Record<string, unknown>;
      const expected = { ...body };
      // Empty objects and lists the recorders' clients added are not re-sent.
      for (const key of ['system', 'inferenceConfig']) {
        const value = expected[key];
        if ((Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)) delete expected[key];
      }
      expect(rebuilt, name).toEqual(expected);
      expect(context.warnings, name).toEqual([]);
    }
  });

  it('maps model-specific fields to canonical options and keeps the rest for Bedrock', () => {
    const { request } = decodeConverseRequest(
      {
        messages: [
          { role: 'user', content: [{ text: 'hi' }, { cachePoint: { type: 'default', ttl: '1h' } }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: { a: 1 } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { ok: true } }], status: 'error' } }, { text: 'and?' }] },
        ],
        inferenceConfig: { maxTokens: 300, temperature: 0.5, topP: 0.9, stopSequences: ['x'] },
        toolConfig: { tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } }, strict: true } }, { cachePoint: { type: 'default' } }, { systemTool: { name: 'nova_grounding' } }], toolChoice: { any: {} } },
        additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2000 }, top_k: 50, anthropic_beta: ['x'] },
        outputConfig: { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: '{"type":"object"}', name: 'answer' } } } },
        serviceTier: { type: 'priority' },
        guardrailConfig: { guardrailIdentifier: 'g1', guardrailVersion: '1' },
        requestMetadata: { team: 'a' },
      },
      info('openai/gpt-4o-mini'),
      true,
    );
    const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });
    const rebuilt = JSON.parse(String(provider.chat!.buildRequest({ ...request, model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }, callContext(provider, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')).body));
    expect(rebuilt.messages[2].content[0]).toEqual({ toolResult: { toolUseId: 't1', content: [{ json: { ok: true } }], status: 'error' } });
    expect(rebuilt.toolConfig.tools).toEqual([{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } }, strict: true } }, { cachePoint: { type: 'default' } }, { systemTool: { name: 'nova_grounding' } }]);
    expect(request).toMatchInlineSnapshot(`
      {
        "includeUsage": true,
        "maxOutputTokens": 300,
        "messages": [
          {
            "content": [
              {
                "cacheControl": {
                  "ttl": "1h",
                  "type": "ephemeral",
                },
                "text": "hi",
                "type": "text",
              },
            ],
            "role": "user",
          },
          {
            "content": [
              {
                "arguments": "{"a":1}",
                "id": "t1",
                "name": "f",
                "type": "tool-call",
              },
            ],
            "role": "assistant",
          },
          {
            "content": [
              {
                "content": [
                  {
                    "providerOptions": {
                      "bedrock": {
                        "json": {
                          "ok": true,
                        },
                      },
                    },
                    "text": "{"ok":true}",
                    "type": "text",
                  },
                ],
                "isError": true,
                "toolCallId": "t1",
                "type": "tool-result",
              },
            ],
            "role": "tool",
          },
          {
            "content": [
              {
                "text": "and?",
                "type": "text",
              },
            ],
            "role": "user",
          },
        ],
        "model": "openai/gpt-4o-mini",
        "providerOptions": {
          "bedrock": {
            "additionalModelRequestFields": {
              "anthropic_beta": [
                "x",
              ],
            },
            "guardrailConfig": {
              "guardrailIdentifier": "g1",
              "guardrailVersion": "1",
            },
            "requestMetadata": {
              "team": "a",
            },
          },
        },
        "reasoning": {
          "budgetTokens": 2000,
          "enabled": true,
        },
        "responseFormat": {
          "name": "answer",
          "schema": {
            "type": "object",
          },
          "strict": true,
          "type": "json-schema",
        },
        "serviceTier": "priority",
        "stopSequences": [
          "x",
        ],
        "stream": true,
        "temperature": 0.5,
        "toolChoice": {
          "type": "required",
        },
        "tools": [
          {
            "cacheControl": {
              "type": "ephemeral",
            },
            "name": "f",
            "parameters": {
              "type": "object",
            },
            "strict": true,
            "type": "function",
          },
          {
            "name": "systemTool",
            "provider": "bedrock",
            "spec": {
              "systemTool": {
                "name": "nova_grounding",
              },
            },
            "type": "provider",
          },
        ],
        "topK": 50,
        "topP": 0.9,
      }
    `);
  });

  it('refuses malformed bodies with the path of the problem', () => {
    expect(() => decodeConverseRequest({ messages: [{ role: 'system', content: [] }] }, info('m'), false)).toThrowError(expect.objectContaining({ code: 'invalid_request', param: 'messages[0].role' }));
    expect(() => decodeConverseRequest({ messages: [{ role: 'user', content: [{ mystery: {} }] }] }, info('m'), false)).toThrowError(/not a content block this gateway knows \(mystery\)/);
    expect(() => decodeConverseRequest({}, info('m'), false)).toThrowError(expect.objectContaining({ param: 'messages' }));
    expect(() => decodeConverseRequest({ messages: [] }, info(''), false)).toThrowError(expect.objectContaining({ param: 'modelId' }));
  });
});

describe('bedrock surface: responses, streams and errors', () => {
  const response: ChatResponse = {
    id: 'x',
    model: 'gpt-4o-mini',
    choices: [
      {
        index: 0,
        content: [
          { type: 'reasoning', text: 'think', signature: 'sig' },
          { type: 'text', text: 'Hello' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
        ],
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      },
    ],
    usage: { inputTokens: 1339, cacheReadTokens: 1322, cacheWriteTokens: 10, outputTokens: 5, totalTokens: 1344 },
    providerMetadata: { bedrock: { metrics: { latencyMs: 42 }, trace: { guardrail: {} } } },
  };

  it('encodes a Converse response with Bedrock usage accounting (cache outside inputTokens)', () => {
    expect(JSON.parse(encodeConverseResponse(response, { model: 'm', messages: [], stream: false }, { requestId: 'r', model: 'm' }))).toMatchInlineSnapshot(`
      {
        "metrics": {
          "latencyMs": 42,
        },
        "output": {
          "message": {
            "content": [
              {
                "reasoningContent": {
                  "reasoningText": {
                    "signature": "sig",
                    "text": "think",
                  },
                },
              },
              {
                "text": "Hello",
              },
              {
                "toolUse": {
                  "input": {
                    "a": 1,
                  },
                  "name": "f",
                  "toolUseId": "call_1",
                },
              },
            ],
            "role": "assistant",
          },
        },
        "stopReason": "tool_use",
        "trace": {
          "guardrail": {},
        },
        "usage": {
          "cacheReadInputTokens": 1322,
          "cacheWriteInputTokens": 10,
          "inputTokens": 7,
          "outputTokens": 5,
          "totalTokens": 1344,
        },
      }
    `);
  });

  it('a recorded Bedrock response survives decode → encode', () => {
    const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });
    for (const name of ['converse-text.json', 'converse-thinking-tool-use.json', 'converse-cache-read.json', 'converse-guardrail-trace.json', 'converse-reasoning.json']) {
      const recorded = readFixtureJson<Record<string, unknown> & { usage: Record<string, unknown> }>(`bedrock-converse/${name}`);
      const decoded = provider.chat!.decodeResponse(recorded, callContext(provider, 'model'));
      const encoded = JSON.parse(encodeConverseResponse(decoded, { model: 'm', messages: [], stream: false }, { requestId: 'r', model: 'm' }));
      const { cacheReadInputTokenCount: _r, cacheWriteInputTokenCount: _w, serverToolUsage: _s, ...usage } = recorded.usage;
      expect(encoded, name).toEqual({ ...recorded, usage });
    }
  });

  it('encodes a canonical stream as ConverseStream frames', () => {
    const encoder = new ConverseStreamEncoder({ requestId: 'r', model: 'm' });
    const events: StreamEvent[] = [
      { type: 'response-metadata', id: 'chatcmpl-1', model: 'gpt-4o-mini' },
      { type: 'reasoning-start', id: 'r1' },
      { type: 'reasoning-delta', id: 'r1', delta: 'hmm' },
      { type: 'reasoning-signature', id: 'r1', signature: 'sig' },
      { type: 'reasoning-end', id: 'r1' },
      { type: 'text-start', id: 't1' },
      { type: 'text-delta', id: 't1', delta: 'Hi' },
      { type: 'text-end', id: 't1' },
      { type: 'tool-input-start', id: 'call_1', name: 'f' },
      { type: 'tool-input-start', id: 'call_2', name: 'g' },
      { type: 'tool-input-delta', id: 'call_1', delta: '{"a":' },
      { type: 'tool-input-delta', id: 'call_2', delta: '{}' },
      { type: 'tool-input-delta', id: 'call_1', delta: '1}' },
      { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14, cacheReadTokens: 3 } },
    ];
    let out = '';
    for (const event of events) out += encoder.encode(event);
    out += encoder.end();
    expect(frames(out)).toMatchInlineSnapshot(`
      [
        {
          "messageStart": {
            "role": "assistant",
          },
        },
        {
          "contentBlockDelta": {
            "contentBlockIndex": 0,
            "delta": {
              "reasoningContent": {
                "text": "hmm",
              },
            },
          },
        },
        {
          "contentBlockDelta": {
            "contentBlockIndex": 0,
            "delta": {
              "reasoningContent": {
                "signature": "sig",
              },
            },
          },
        },
        {
          "contentBlockStop": {
            "contentBlockIndex": 0,
          },
        },
        {
          "contentBlockDelta": {
            "contentBlockIndex": 1,
            "delta": {
              "text": "Hi",
            },
          },
        },
        {
          "contentBlockStop": {
            "contentBlockIndex": 1,
          },
        },
        {
          "contentBlockStart": {
            "contentBlockIndex": 2,
            "start": {
              "toolUse": {
                "name": "f",
                "toolUseId": "call_1",
              },
            },
          },
        },
        {
          "contentBlockStart": {
            "contentBlockIndex": 3,
            "start": {
              "toolUse": {
                "name": "g",
                "toolUseId": "call_2",
              },
            },
          },
        },
        {
          "contentBlockDelta": {
            "contentBlockIndex": 2,
            "delta": {
              "toolUse": {
                "input": "{"a":",
              },
            },
          },
        },
        {
          "contentBlockDelta": {
            "contentBlockIndex": 3,
            "delta": {
              "toolUse": {
                "input": "{}",
              },
            },
          },
        },
        {
          "contentBlockDelta": {
            "contentBlockIndex": 2,
            "delta": {
              "toolUse": {
                "input": "1}",
              },
            },
          },
        },
        {
          "contentBlockStop": {
            "contentBlockIndex": 2,
          },
        },
        {
          "contentBlockStop": {
            "contentBlockIndex": 3,
          },
        },
        {
          "messageStop": {
            "stopReason": "tool_use",
          },
        },
        {
          "metadata": {
            "metrics": {
              "latencyMs": 0,
            },
            "usage": {
              "cacheReadInputTokens": 3,
              "inputTokens": 7,
              "outputTokens": 4,
              "totalTokens": 14,
            },
          },
        },
      ]
    `);
  });

  it('replays a recorded ConverseStream transcript as the same events (less padding and metrics)', () => {
    const provider = bedrockProvider({ region: 'us-east-1', keys: [STATIC_KEYS] });
    const name = 'converse-stream-tool-use';
    const decoder = provider.chat!.createStreamDecoder(callContext(provider, 'm'));
    const encoder = new ConverseStreamEncoder({ requestId: 'r', model: 'm' });
    let out = '';
    const framer = new EventStreamFramer((message) =>
      decoder.push(message, (event) => {
        out += encoder.encode(event);
      }),
    );
    framer.push(readFixture(`bedrock-converse/${name}.eventstream`));
    decoder.end((event) => {
      out += encoder.encode(event);
    });
    out += encoder.end();
    const recorded = readFixtureText(`bedrock-converse/${name}.events.jsonl`)
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const frame = JSON.parse(line) as { ':event-type': string; payload: Record<string, unknown> };
        const { p: _padding, ...payload } = frame.payload;
        return { [frame[':event-type']]: payload };
      });
    expect(frames(out)).toEqual(recorded);
  });

  it('errors: header names the AWS SDK maps to exception classes, exception frames in streams', () => {
    const cases: Array<[GatewayError, string]> = [
      [new GatewayError({ code: 'upstream_rate_limited', status: 429, message: 'slow', retryAfterMs: 2000 }), 'ThrottlingException'],
      [new GatewayError({ code: 'invalid_request', status: 400, message: 'bad' }), 'ValidationException'],
      [new GatewayError({ code: 'model_not_found', status: 404, message: 'no' }), 'ResourceNotFoundException'],
      [new GatewayError({ code: 'authentication_failed', status: 401, message: 'who' }), 'UnrecognizedClientException'],
      [new GatewayError({ code: 'upstream_overloaded', status: 503, message: 'busy' }), 'ServiceUnavailableException'],
      // A provider that cannot be reached is unavailable (502), not an internal error of the gateway.
      [new GatewayError({ code: 'upstream_unreachable', status: 502, message: 'down' }), 'ServiceUnavailableException'],
      [new GatewayError({ code: 'internal_error', status: 500, message: 'oops' }), 'InternalServerException'],
      [new GatewayError({ code: 'upstream_bad_request', status: 400, message: 'x', upstream: { type: 'ModelErrorException' } }), 'ModelErrorException'],
    ];
    for (const [error, name] of cases) {
      const encoded = encodeBedrockError(error);
      expect(encoded.headers['x-amzn-errortype'], error.code).toBe(name);
      expect(JSON.parse(encoded.body)).toEqual({ message: error.message });
      expect(encoded.status).toBe(error.status);
    }
    expect(encodeBedrockError(cases[0]![0]).headers['retry-after']).toBe('2');
    const encoder = new ConverseStreamEncoder({ requestId: 'r', model: 'm' });
    expect(frames(encoder.error(new GatewayError({ code: 'upstream_timeout', status: 504, message: 'late' })))).toEqual([{ 'exception:modelStreamErrorException': { message: 'late' } }]);
    expect(frames(encoder.error(new GatewayError({ code: 'upstream_rate_limited', status: 429, message: 'slow' })))).toEqual([{ 'exception:throttlingException': { message: 'slow' } }]);
    expect(frames(encoder.error(new GatewayError({ code: 'upstream_unreachable', status: 502, message: 'broke' })))).toEqual([{ 'exception:serviceUnavailableException': { message: 'broke' } }]);
  });
});
