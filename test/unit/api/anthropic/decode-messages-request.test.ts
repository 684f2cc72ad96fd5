import { describe, expect, it } from 'vitest';
import { decodeMessagesRequest } from '../../../../src/api/anthropic/decode-messages-request.js';
import { encodeAnthropicError } from '../../../../src/api/anthropic/encode-anthropic-error.js';
import { GatewayError } from '../../../../src/core/index.js';

const base = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

function failure(body: unknown): { status: number; body: unknown } {
  try {
    decodeMessagesRequest(body, {});
  } catch (error) {
    const encoded = encodeAnthropicError(error as GatewayError);
    return { status: encoded.status, body: JSON.parse(encoded.body) };
  }
  throw new Error('expected a failure');
}

describe('decodeMessagesRequest', () => {
  it('requires max_tokens, like the Anthropic API, and answers in its error shape', () => {
    expect(failure({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: "Missing required parameter: 'max_tokens'." } },
    });
    expect(failure({ ...base, messages: [{ role: 'system', content: 'x' }] }).body).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('messages.0.role') } });
    expect(failure({ ...base, temperature: 1.5 }).status).toBe(400);
  });

  it('splits tool results out of a user turn, in order', () => {
    const { request } = decodeMessagesRequest(
      {
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'before' }, { type: 'tool_result', tool_use_id: 'a', content: 'A' }, { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'B' }], is_error: true }, { type: 'text', text: 'after' }] },
        ],
      },
      {},
    );
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'before' }] },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'a', content: 'A' },
          { type: 'tool-result', toolCallId: 'b', content: [{ type: 'text', text: 'B' }], isError: true },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'after' }] },
    ]);
  });

  it('maps thinking, tool choice, metadata, output_config and keeps the rest for Anthropic', () => {
    const { request, directives, gatewayFields } = decodeMessagesRequest(
      {
        ...base,
        system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
        thinking: { type: 'adaptive', display: 'summarized' },
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        tools: [
          { name: 'f', input_schema: { type: 'object' }, input_examples: [{}] },
          { type: 'web_search_20250305', name: 'web_search', max_uses: 2 },
        ],
        metadata: { user_id: 'u1' },
        output_config: { effort: 'max', format: { type: 'json_schema', schema: { type: 'object' } } },
        container: 'c1',
        fallbacks: ['openai/gpt-4o'],
      },
      { 'anthropic-beta': 'a-2025-01-01, b-2025-02-02' },
    );
    expect(request.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: 'sys', cacheControl: { type: 'ephemeral' } }] });
    expect(request.reasoning).toEqual({ enabled: true, effort: 'xhigh' });
    expect(request.toolChoice).toEqual({ type: 'required' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.user).toBe('u1');
    expect(request.responseFormat).toEqual({ type: 'json-schema', name: 'response', schema: { type: 'object' } });
    expect(request.tools).toEqual([
      { type: 'function', name: 'f', parameters: { type: 'object' }, providerOptions: { anthropic: { input_examples: [{}] } } },
      { type: 'provider', provider: 'anthropic', name: 'web_search', spec: { type: 'web_search_20250305', name: 'web_search', max_uses: 2 } },
    ]);
    expect(request.providerOptions).toEqual({
      anthropic: { container: 'c1', thinking: { type: 'adaptive', display: 'summarized' }, output_config: { effort: 'max' }, betas: ['a-2025-01-01', 'b-2025-02-02'] },
    });
    expect(directives.fallbacks).toEqual(['openai/gpt-4o']);
    expect(gatewayFields).toEqual(['fallbacks']);
  });

  it('keeps server tool blocks of earlier turns verbatim', () => {
    const block = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] };
    const { request } = decodeMessagesRequest({ ...base, messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: [block, { type: 'text', text: 'a' }] }, { role: 'user', content: 'more' }] }, {});
    expect(request.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: '', providerOptions: { anthropic: { block } } }, { type: 'text', text: 'a' }] });
  });
});

describe('encodeAnthropicError', () => {
  it('keeps the provider’s own Anthropic error type and maps gateway codes', () => {
    const upstream = new GatewayError({ code: 'upstream_permission', status: 402, message: 'credit balance too low', upstream: { family: 'anthropic', type: 'billing_error' } });
    expect(JSON.parse(encodeAnthropicError(upstream).body)).toEqual({ type: 'error', error: { type: 'billing_error', message: 'credit balance too low' } });
    // OpenAI calls a refused key "invalid_request_error": the same word, another meaning.
    const openAi = new GatewayError({ code: 'upstream_authentication', status: 401, message: 'Incorrect API key provided', upstream: { family: 'openai', type: 'invalid_request_error', code: 'invalid_api_key' } });
    expect(JSON.parse(encodeAnthropicError(openAi).body).error.type).toBe('authentication_error');
    const cases: Array<[GatewayError['code'], number, string]> = [
      ['authentication_failed', 401, 'authentication_error'],
      ['rate_limited', 429, 'rate_limit_error'],
      ['upstream_overloaded', 529, 'overloaded_error'],
      ['payload_too_large', 413, 'request_too_large'],
      ['model_not_found', 404, 'not_found_error'],
      ['upstream_unreachable', 502, 'api_error'],
      ['upstream_timeout', 504, 'timeout_error'],
    ];
    for (const [code, status, type] of cases) {
      const encoded = encodeAnthropicError(new GatewayError({ code, status, message: code, retryable: status >= 500 }));
      expect(encoded.status).toBe(status);
      expect(JSON.parse(encoded.body).error.type).toBe(type);
      expect(encoded.headers['x-should-retry']).toBe(String(status >= 500));
    }
  });
});
