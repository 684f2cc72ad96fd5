import { describe, expect, it } from 'vitest';
import { encodeGenAiError } from '../../../../src/api/genai/encode-genai-error.js';
import { GenAiStreamEncoder } from '../../../../src/api/genai/genai-stream-encoder.js';
import { GatewayError, type StreamEvent } from '../../../../src/core/index.js';

function encode(events: StreamEvent[]): unknown[] {
  const encoder = new GenAiStreamEncoder({ model: 'm', messages: [], stream: true }, { requestId: 'req-1', model: 'openai/gpt-4o-mini' });
  const text = events.map((event) => encoder.encode(event)).join('') + encoder.end();
  return text
    .split('\r\n\r\n')
    .filter(Boolean)
    .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as unknown);
}

describe('GenAI stream encoder', () => {
  it('OpenAI-style events: usage after the finish still reaches the final chunk; tool calls are whole parts with their id', () => {
    expect(
      encode([
        { type: 'response-metadata', id: 'chatcmpl-1', model: 'gpt-4o-mini-2024-07-18' },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'Hi' },
        { type: 'text-end', id: 't' },
        { type: 'tool-input-start', id: 'call_1', name: 'f' },
        { type: 'tool-input-delta', id: 'call_1', delta: '{"a":' },
        { type: 'tool-input-delta', id: 'call_1', delta: '1}' },
        { type: 'tool-input-end', id: 'call_1' },
        { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
        { type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' } },
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, reasoningTokens: 2 } },
      ]),
    ).toMatchInlineSnapshot(`
      [
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "Hi",
                  },
                ],
                "role": "model",
              },
              "index": 0,
            },
          ],
          "modelVersion": "gpt-4o-mini-2024-07-18",
          "responseId": "chatcmpl-1",
        },
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "functionCall": {
                      "args": {
                        "a": 1,
                      },
                      "id": "call_1",
                      "name": "f",
                    },
                  },
                ],
                "role": "model",
              },
              "index": 0,
            },
          ],
          "modelVersion": "gpt-4o-mini-2024-07-18",
          "responseId": "chatcmpl-1",
        },
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "",
                  },
                ],
                "role": "model",
              },
              "finishReason": "STOP",
              "index": 0,
            },
          ],
          "modelVersion": "gpt-4o-mini-2024-07-18",
          "responseId": "chatcmpl-1",
          "usageMetadata": {
            "candidatesTokenCount": 3,
            "promptTokenCount": 10,
            "thoughtsTokenCount": 2,
            "totalTokenCount": 15,
          },
        },
      ]
    `);
  });

  it('a signature of the next part rides on it; a signature after thought text is its own thought part', () => {
    const chunks = encode([
      { type: 'reasoning-start', id: 'r1' },
      { type: 'reasoning-delta', id: 'r1', delta: 'thinking' },
      { type: 'reasoning-signature', id: 'r1', signature: 'S1' },
      { type: 'reasoning-end', id: 'r1' },
      { type: 'reasoning-start', id: 'r2' },
      { type: 'reasoning-signature', id: 'r2', signature: 'S2' },
      { type: 'reasoning-end', id: 'r2' },
      { type: 'text-delta', id: 't', delta: 'Answer' },
      { type: 'finish', finishReason: { unified: 'stop', raw: 'STOP' } },
    ]) as Array<{ candidates: Array<{ content: { parts: unknown[] } }> }>;
    expect(chunks.map((chunk) => chunk.candidates[0]!.content.parts)).toEqual([
      [{ text: 'thinking', thought: true }],
      [{ text: '', thought: true, thoughtSignature: 'S1' }],
      [{ text: 'Answer', thoughtSignature: 'S2' }],
      [{ text: '' }],
    ]);
  });

  it('logprobs and citations are gathered into the finish chunk', () => {
    const chunks = encode([
      { type: 'text-delta', id: 't', delta: 'Hi' },
      { type: 'logprobs', content: [{ token: 'Hi', logprob: -0.1, topLogprobs: [{ token: 'Hi', logprob: -0.1 }, { token: 'Hey', logprob: -2.3 }] }] },
      { type: 'citation', id: 't', citation: { type: 'url', url: 'https://example.com', title: 'Example', startIndex: 0, endIndex: 2 } },
      { type: 'finish', finishReason: { unified: 'stop' } },
    ]) as Array<{ candidates: Array<Record<string, unknown>> }>;
    expect(chunks[1]!.candidates[0]).toMatchObject({
      finishReason: 'STOP',
      citationMetadata: { citationSources: [{ startIndex: 0, endIndex: 2, uri: 'https://example.com', title: 'Example' }] },
      logprobsResult: {
        chosenCandidates: [{ token: 'Hi', logProbability: -0.1 }],
        topCandidates: [{ candidates: [{ token: 'Hi', logProbability: -0.1 }, { token: 'Hey', logProbability: -2.3 }] }],
      },
    });
  });

  it('a mid-stream error is a google.rpc.Status event the GenAI SDK throws on', () => {
    const error = new GatewayError({ code: 'upstream_overloaded', status: 503, retryable: true, retryAfterMs: 1500, message: 'Overloaded' });
    expect(encode([{ type: 'error', error }])).toEqual([
      {
        error: {
          code: 503,
          message: 'Overloaded',
          status: 'UNAVAILABLE',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'UPSTREAM_OVERLOADED', domain: 'switchyard', metadata: { code: 'upstream_overloaded' } },
            { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' },
          ],
        },
      },
    ]);
  });
});

describe('GenAI error encoding', () => {
  it('gateway errors get the google.rpc status for their HTTP status; a Gemini status name is kept', () => {
    const encoded = encodeGenAiError(new GatewayError({ code: 'model_not_found', status: 404, param: 'model', message: 'No such model' }));
    expect(encoded.status).toBe(404);
    expect(encoded.headers['x-switchyard-error-code']).toBe('model_not_found');
    expect(JSON.parse(encoded.body)).toMatchObject({ error: { code: 404, status: 'NOT_FOUND', message: 'No such model' } });
    const upstream = encodeGenAiError(new GatewayError({ code: 'upstream_bad_request', status: 400, message: 'x', upstream: { status: 400, type: 'FAILED_PRECONDITION' } }));
    expect(JSON.parse(upstream.body)).toMatchObject({ error: { status: 'FAILED_PRECONDITION' } });
    const limited = encodeGenAiError(new GatewayError({ code: 'upstream_rate_limited', status: 429, retryAfterMs: 34400, message: 'quota' }));
    expect(limited.headers['retry-after']).toBe('35');
  });

  it('the same canonical error has the same status name whatever HTTP status its provider used', () => {
    const name = (error: GatewayError) => (JSON.parse(encodeGenAiError(error).body) as { error: { code: number; status: string } }).error;
    // Anthropic's overloaded is a 529; Bedrock's model stream errors are 424s.
    expect(name(new GatewayError({ code: 'upstream_overloaded', status: 529, message: 'Overloaded', upstream: { status: 529, type: 'overloaded_error', family: 'anthropic' } }))).toMatchObject({ code: 529, status: 'UNAVAILABLE' });
    expect(name(new GatewayError({ code: 'upstream_overloaded', status: 503, message: 'busy' }))).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    expect(name(new GatewayError({ code: 'stream_error', status: 424, message: 'The model stream failed.', upstream: { status: 424, type: 'ModelStreamErrorException' } }))).toMatchObject({ code: 424, status: 'INTERNAL' });
    expect(name(new GatewayError({ code: 'upstream_unreachable', status: 502, message: 'down' }))).toMatchObject({ status: 'UNAVAILABLE' });
  });
});
