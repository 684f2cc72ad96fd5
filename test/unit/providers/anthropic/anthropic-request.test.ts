import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../../src/core/index.js';
import { callContext, createProvider, describeRequest } from './anthropic-test-kit.js';

/*
 * The exact upstream request (URL, headers without secrets, body) for representative canonical
 * requests, as inline snapshots, plus the warnings each produces.
 */

const anthropic = createProvider('anthropic', { keys: [{ value: 'sk-ant-secret' }] });

async function build(request: Omit<ChatRequest, 'model' | 'stream'> & { stream?: boolean }, model = 'claude-sonnet-4-5', provider = anthropic) {
  const context = callContext(provider, model);
  const upstream = provider.chat!.buildRequest({ model, stream: false, ...request }, context);
  return { request: await describeRequest(provider, upstream), warnings: context.warnings };
}

describe('Anthropic request conversion', () => {
  it('a plain OpenAI-style request: system prompt, no max_tokens (sent with a warning), user', async () => {
    expect(
      await build({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
        ],
        temperature: 0.2,
        stopSequences: ['END'],
        user: 'user-42',
      }),
    ).toMatchInlineSnapshot(`
      {
        "request": {
          "body": {
            "max_tokens": 64000,
            "messages": [
              {
                "content": "Hello",
                "role": "user",
              },
            ],
            "metadata": {
              "user_id": "user-42",
            },
            "model": "claude-sonnet-4-5",
            "stop_sequences": [
              "END",
            ],
            "system": "You are terse.",
            "temperature": 0.2,
          },
          "headers": {
            "accept": "application/json",
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
            "x-api-key": "<redacted>",
          },
          "method": "POST",
          "url": "https://api.anthropic.com/v1/messages",
        },
        "warnings": [
          {
            "code": "other",
            "message": "Anthropic requires max_tokens and the request had none; sent 64000 (the model's documented maximum)",
            "param": "max_tokens",
          },
        ],
      }
    `);
  });

  it('multi-turn tool use: parallel calls, merged tool results, tool choice, cache control, stream', async () => {
    expect(
      await build({
        stream: true,
        maxOutputTokens: 1024,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Checking both.' },
              { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
              { type: 'tool-call', id: 'toolu_2', name: 'get_weather', arguments: '{"city":"Rome"}' },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: '18C' }] },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_2', content: [{ type: 'text', text: 'error: timeout' }], isError: true }] },
          { role: 'user', content: [{ type: 'text', text: 'And tomorrow?', cacheControl: { type: 'ephemeral' } }] },
        ],
        tools: [
          {
            type: 'function',
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            cacheControl: { type: 'ephemeral', ttl: '1h' },
          },
          { type: 'provider', provider: 'anthropic', name: 'web_search', spec: { type: 'web_search_20250305', name: 'web_search', max_uses: 3 } },
        ],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
      }),
    ).toMatchInlineSnapshot(`
      {
        "request": {
          "body": {
            "max_tokens": 1024,
            "messages": [
              {
                "content": "Weather in Paris and Rome?",
                "role": "user",
              },
              {
                "content": [
                  {
                    "text": "Checking both.",
                    "type": "text",
                  },
                  {
                    "id": "toolu_1",
                    "input": {
                      "city": "Paris",
                    },
                    "name": "get_weather",
                    "type": "tool_use",
                  },
                  {
                    "id": "toolu_2",
                    "input": {
                      "city": "Rome",
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
                    "content": "18C",
                    "tool_use_id": "toolu_1",
                    "type": "tool_result",
                  },
                  {
                    "content": [
                      {
                        "text": "error: timeout",
                        "type": "text",
                      },
                    ],
                    "is_error": true,
                    "tool_use_id": "toolu_2",
                    "type": "tool_result",
                  },
                  {
                    "cache_control": {
                      "type": "ephemeral",
                    },
                    "text": "And tomorrow?",
                    "type": "text",
                  },
                ],
                "role": "user",
              },
            ],
            "model": "claude-sonnet-4-5",
            "stream": true,
            "tool_choice": {
              "disable_parallel_tool_use": true,
              "type": "any",
            },
            "tools": [
              {
                "cache_control": {
                  "ttl": "1h",
                  "type": "ephemeral",
                },
                "description": "Weather for a city",
                "input_schema": {
                  "properties": {
                    "city": {
                      "type": "string",
                    },
                  },
                  "required": [
                    "city",
                  ],
                  "type": "object",
                },
                "name": "get_weather",
              },
              {
                "max_uses": 3,
                "name": "web_search",
                "type": "web_search_20250305",
              },
            ],
          },
          "headers": {
            "accept": "text/event-stream",
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
            "x-api-key": "<redacted>",
          },
          "method": "POST",
          "url": "https://api.anthropic.com/v1/messages",
        },
        "warnings": [],
      }
    `);
  });

  it('a thinking round trip: signed and redacted thinking go back; effort becomes a budget; temperature is refused', async () => {
    expect(
      await build({
        maxOutputTokens: 16_000,
        reasoning: { effort: 'medium' },
        temperature: 0.5,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Which country am I in?' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'I should look it up.', signature: 'EqEECkYICxgC' },
              { type: 'reasoning', text: '', redactedData: 'EtgBCkYIBxgC' },
              { type: 'tool-call', id: 'toolu_01', name: 'get_user_country', arguments: '' },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'toolu_01', content: 'France' }] },
        ],
        tools: [{ type: 'function', name: 'get_user_country', parameters: { type: 'object', properties: {} } }],
      }),
    ).toMatchInlineSnapshot(`
      {
        "request": {
          "body": {
            "max_tokens": 16000,
            "messages": [
              {
                "content": "Which country am I in?",
                "role": "user",
              },
              {
                "content": [
                  {
                    "signature": "EqEECkYICxgC",
                    "thinking": "I should look it up.",
                    "type": "thinking",
                  },
                  {
                    "data": "EtgBCkYIBxgC",
                    "type": "redacted_thinking",
                  },
                  {
                    "id": "toolu_01",
                    "input": {},
                    "name": "get_user_country",
                    "type": "tool_use",
                  },
                ],
                "role": "assistant",
              },
              {
                "content": [
                  {
                    "content": "France",
                    "tool_use_id": "toolu_01",
                    "type": "tool_result",
                  },
                ],
                "role": "user",
              },
            ],
            "model": "claude-sonnet-4-5",
            "thinking": {
              "budget_tokens": 8192,
              "type": "enabled",
            },
            "tools": [
              {
                "input_schema": {
                  "properties": {},
                  "type": "object",
                },
                "name": "get_user_country",
              },
            ],
          },
          "headers": {
            "accept": "application/json",
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
            "x-api-key": "<redacted>",
          },
          "method": "POST",
          "url": "https://api.anthropic.com/v1/messages",
        },
        "warnings": [
          {
            "code": "lossy-conversion",
            "message": "reasoning effort "medium" was sent as an Anthropic thinking budget of 8192 tokens",
            "param": "reasoning_effort",
          },
          {
            "code": "unsupported-parameter",
            "message": "Anthropic does not take temperature together with thinking; it was not sent",
            "param": "temperature",
          },
        ],
      }
    `);
  });

  it('images and documents: URL and base64, PDF, plain text, file ids (Files API beta), audio refused', async () => {
    expect(
      await build({
        maxOutputTokens: 512,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0x' }, mediaType: 'application/pdf', filename: 'report.pdf' },
              { type: 'file', source: { kind: 'url', url: 'https://example.com/paper.pdf' }, mediaType: 'application/pdf', title: 'Paper' },
              { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('plain notes').toString('base64') }, mediaType: 'text/plain' },
              { type: 'file', source: { kind: 'file-id', id: 'file_011' }, mediaType: 'application/pdf' },
              { type: 'audio', source: { kind: 'base64', mediaType: 'audio/wav', data: 'UklGRg==' } },
              { type: 'text', text: 'Summarise all of it.' },
            ],
          },
        ],
      }),
    ).toMatchInlineSnapshot(`
      {
        "request": {
          "body": {
            "max_tokens": 512,
            "messages": [
              {
                "content": [
                  {
                    "source": {
                      "type": "url",
                      "url": "https://example.com/cat.jpg",
                    },
                    "type": "image",
                  },
                  {
                    "source": {
                      "data": "iVBORw0KGgo=",
                      "media_type": "image/png",
                      "type": "base64",
                    },
                    "type": "image",
                  },
                  {
                    "source": {
                      "data": "JVBERi0x",
                      "media_type": "application/pdf",
                      "type": "base64",
                    },
                    "title": "report.pdf",
                    "type": "document",
                  },
                  {
                    "source": {
                      "type": "url",
                      "url": "https://example.com/paper.pdf",
                    },
                    "title": "Paper",
                    "type": "document",
                  },
                  {
                    "source": {
                      "data": "plain notes",
                      "media_type": "text/plain",
                      "type": "text",
                    },
                    "type": "document",
                  },
                  {
                    "source": {
                      "file_id": "file_011",
                      "type": "file",
                    },
                    "type": "document",
                  },
                  {
                    "text": "Summarise all of it.",
                    "type": "text",
                  },
                ],
                "role": "user",
              },
            ],
            "model": "claude-sonnet-4-5",
          },
          "headers": {
            "accept": "application/json",
            "anthropic-beta": "files-api-2025-04-14",
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
            "x-api-key": "<redacted>",
          },
          "method": "POST",
          "url": "https://api.anthropic.com/v1/messages",
        },
        "warnings": [
          {
            "code": "unsupported-content",
            "message": "provider "anthropic" takes no audio input; the audio part was not sent",
          },
        ],
      }
    `);
  });

  it('structured output: json_schema as output_config.format; parameters Anthropic lacks are warnings', async () => {
    expect(
      await build({
        maxOutputTokens: 256,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Extract the city.' }] }],
        responseFormat: { type: 'json-schema', name: 'city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
        n: 2,
        seed: 7,
        frequencyPenalty: 0.5,
        logprobs: true,
        logitBias: { '50256': -100 },
        serviceTier: 'flex',
        providerOptions: { openai: { store: true }, anthropic: { betas: ['context-1m-2025-08-07'], container: 'container_1' } },
      }),
    ).toMatchInlineSnapshot(`
      {
        "request": {
          "body": {
            "container": "container_1",
            "max_tokens": 256,
            "messages": [
              {
                "content": "Extract the city.",
                "role": "user",
              },
            ],
            "model": "claude-sonnet-4-5",
            "output_config": {
              "format": {
                "schema": {
                  "additionalProperties": false,
                  "properties": {
                    "city": {
                      "type": "string",
                    },
                  },
                  "required": [
                    "city",
                  ],
                  "type": "object",
                },
                "type": "json_schema",
              },
            },
          },
          "headers": {
            "accept": "application/json",
            "anthropic-beta": "context-1m-2025-08-07",
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
            "x-api-key": "<redacted>",
          },
          "method": "POST",
          "url": "https://api.anthropic.com/v1/messages",
        },
        "warnings": [
          {
            "code": "unsupported-parameter",
            "message": "service_tier is not supported by provider "anthropic" and was not sent",
            "param": "service_tier",
          },
          {
            "code": "unsupported-parameter",
            "message": "n is not supported by provider "anthropic" and was not sent",
            "param": "n",
          },
          {
            "code": "unsupported-parameter",
            "message": "frequency_penalty is not supported by provider "anthropic" and was not sent",
            "param": "frequency_penalty",
          },
          {
            "code": "unsupported-parameter",
            "message": "seed is not supported by provider "anthropic" and was not sent",
            "param": "seed",
          },
          {
            "code": "unsupported-parameter",
            "message": "logprobs is not supported by provider "anthropic" and was not sent",
            "param": "logprobs",
          },
          {
            "code": "unsupported-parameter",
            "message": "logit_bias is not supported by provider "anthropic" and was not sent",
            "param": "logit_bias",
          },
          {
            "code": "unsupported-parameter",
            "message": ""store" (openai) is not supported by provider "anthropic" and was not sent",
            "param": "store",
          },
        ],
      }
    `);
  });

  it('JSON mode is emulated with a forced tool (Anthropic has no JSON mode)', async () => {
    const result = await build({ maxOutputTokens: 256, messages: [{ role: 'user', content: [{ type: 'text', text: 'Give me JSON.' }] }], responseFormat: { type: 'json' } });
    expect({ tools: (result.request.body as Record<string, unknown>).tools, tool_choice: (result.request.body as Record<string, unknown>).tool_choice, warnings: result.warnings }).toMatchInlineSnapshot(`
      {
        "tool_choice": {
          "name": "json_response",
          "type": "tool",
        },
        "tools": [
          {
            "description": "Respond with the answer as the input of this tool.",
            "input_schema": {
              "additionalProperties": true,
              "type": "object",
            },
            "name": "json_response",
          },
        ],
        "warnings": [
          {
            "code": "emulated",
            "message": "JSON mode was emulated on provider "anthropic" with a forced tool "json_response"",
            "param": "response_format",
          },
        ],
      }
    `);
  });

  it('config betas, anthropic-version and extra headers', async () => {
    const configured = createProvider('claude', {
      type: 'anthropic',
      baseUrl: 'https://proxy.example.com/anthropic',
      anthropicVersion: '2023-01-01',
      betas: ['interleaved-thinking-2025-05-14'],
      headers: { 'x-team': 'search' },
      keys: [{ value: 'sk-ant-other' }],
    });
    const result = await build(
      { maxOutputTokens: 64, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], providerOptions: { anthropic: { betas: ['interleaved-thinking-2025-05-14', 'token-efficient-tools-2025-02-19'] } } },
      'claude-opus-4-1',
      configured,
    );
    expect({ url: result.request.url, headers: result.request.headers }).toMatchInlineSnapshot(`
      {
        "headers": {
          "accept": "application/json",
          "anthropic-beta": "interleaved-thinking-2025-05-14,token-efficient-tools-2025-02-19",
          "anthropic-version": "2023-01-01",
          "content-type": "application/json",
          "x-api-key": "<redacted>",
          "x-team": "search",
        },
        "url": "https://proxy.example.com/anthropic/v1/messages",
      }
    `);
  });

  it('max_tokens defaults: catalog first, then the documented table, then 4096 — always with a warning', async () => {
    const fromCatalog = callContext(anthropic, 'claude-sonnet-4-5', { maxOutputTokens: 12_345 });
    const body = (context: ReturnType<typeof callContext>) =>
      JSON.parse(anthropic.chat!.buildRequest({ model: context.model, stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }, context).body as string);
    expect(body(fromCatalog).max_tokens).toBe(12_345);
    const fromTable = callContext(anthropic, 'claude-3-5-haiku-20241022');
    expect(body(fromTable).max_tokens).toBe(8192);
    const unknown = callContext(anthropic, 'claude-future-9');
    expect(body(unknown).max_tokens).toBe(4096);
    for (const context of [fromCatalog, fromTable, unknown]) expect(context.warnings).toEqual([expect.objectContaining({ code: 'other', param: 'max_tokens' })]);
  });

  it('a thinking budget that does not fit max_tokens is lowered, or thinking is left off', async () => {
    const lowered = await build({ maxOutputTokens: 4000, reasoning: { budgetTokens: 8000 }, messages: [{ role: 'user', content: [{ type: 'text', text: 'think' }] }] });
    expect((lowered.request.body as Record<string, unknown>).thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    const off = await build({ maxOutputTokens: 1000, reasoning: { effort: 'high' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'think' }] }] });
    expect((off.request.body as Record<string, unknown>).thinking).toBeUndefined();
    expect(off.warnings.map((warning) => warning.param)).toEqual(['reasoning_effort', 'thinking']);
    const disabled = await build({ maxOutputTokens: 100, reasoning: { effort: 'none' }, messages: [{ role: 'user', content: [{ type: 'text', text: 'quick' }] }] });
    expect((disabled.request.body as Record<string, unknown>).thinking).toEqual({ type: 'disabled' });
  });

  it("an Anthropic client's own thinking and effort are sent as they are, without a budget mapping", async () => {
    const result = await build({
      maxOutputTokens: 2000,
      reasoning: { enabled: true, effort: 'xhigh' },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'think hard' }] }],
      providerOptions: { anthropic: { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } } },
    });
    expect(result.request.body).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(result.warnings).toEqual([]);
  });

  it('reasoning without an Anthropic signature cannot go back as thinking (warned)', async () => {
    const result = await build({
      maxOutputTokens: 100,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'deepseek thoughts' }, { type: 'text', text: 'b' }] },
        { role: 'user', content: [{ type: 'text', text: 'c' }] },
      ],
    });
    expect((result.request.body as { messages: unknown[] }).messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'b' }] });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'lossy-conversion' })]);
  });
});
