import { describe, expect, it } from 'vitest';
import { decodeOpenAiChatRequest } from '../../../../src/api/openai/decode-chat-request.js';
import type { ChatRequest, Warning } from '../../../../src/core/index.js';
import { validateConfig } from '../../../../src/config/load-config.js';
import type { Provider } from '../../../../src/providers/provider.js';
import { getProviderDefinition } from '../../../../src/providers/registry.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';

/** A provider of the given type as the config would build it (no network involved). */
function provider(type: string, extra: Record<string, unknown> = {}): Provider {
  const { config, issues } = validateConfig({ providers: { [type]: { keys: [{ name: 'main', value: 'sk-secret' }], ...extra } } }, {});
  if (config === undefined) throw new Error(JSON.stringify(issues));
  return getProviderDefinition(type)!.create(config.providers[0]!);
}

/** The upstream request a provider builds, with the body parsed and secrets out of the picture. */
function build(type: string, request: ChatRequest, model = request.model) {
  const target = provider(type);
  const warnings: Warning[] = [];
  const upstream = target.chat!.buildRequest({ ...request, model }, { provider: target.settings, model, key: target.settings.keys[0], warnings });
  return { url: `${upstream.origin}${upstream.path}`, headers: upstream.headers, body: JSON.parse(upstream.body as string), warnings };
}

const MULTI_TURN_TOOLS: ChatRequest = {
  model: 'gpt-4o-mini',
  stream: false,
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'You are terse.' }], developer: true },
    { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'two calls', signature: 'sig' },
        { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
      ],
    },
    {
      role: 'tool',
      content: [
        { type: 'tool-result', toolCallId: 'call_1', content: '18C' },
        { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: '24C' }] },
      ],
    },
  ],
  tools: [{ type: 'function', name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true }],
  toolChoice: { type: 'required' },
  parallelToolCalls: true,
  maxOutputTokens: 200,
  temperature: 0.2,
  seed: 7,
};

describe('OpenAI-dialect upstream requests', () => {
  it('builds an OpenAI request for multi-turn tool use', () => {
    expect(build('openai', MULTI_TURN_TOOLS)).toMatchInlineSnapshot(`
      {
        "body": {
          "max_completion_tokens": 200,
          "messages": [
            {
              "content": "You are terse.",
              "role": "developer",
            },
            {
              "content": "Weather in Paris and Rome?",
              "role": "user",
            },
            {
              "content": null,
              "role": "assistant",
              "tool_calls": [
                {
                  "function": {
                    "arguments": "{"city":"Paris"}",
                    "name": "weather",
                  },
                  "id": "call_1",
                  "type": "function",
                },
                {
                  "function": {
                    "arguments": "{"city":"Rome"}",
                    "name": "weather",
                  },
                  "id": "call_2",
                  "type": "function",
                },
              ],
            },
            {
              "content": "18C",
              "role": "tool",
              "tool_call_id": "call_1",
            },
            {
              "content": "24C",
              "role": "tool",
              "tool_call_id": "call_2",
            },
          ],
          "model": "gpt-4o-mini",
          "parallel_tool_calls": true,
          "seed": 7,
          "temperature": 0.2,
          "tool_choice": "required",
          "tools": [
            {
              "function": {
                "description": "Current weather",
                "name": "weather",
                "parameters": {
                  "properties": {
                    "city": {
                      "type": "string",
                    },
                  },
                  "type": "object",
                },
                "strict": true,
              },
              "type": "function",
            },
          ],
        },
        "headers": {
          "accept": "application/json",
          "content-type": "application/json",
        },
        "url": "https://api.openai.com/v1/chat/completions",
        "warnings": [
          {
            "code": "lossy-conversion",
            "message": "reasoning from earlier assistant turns is not accepted by this provider and was not sent",
          },
        ],
      }
    `);
  });

  it('applies Mistral quirks: tool_choice any, random_seed, no stream_options, no developer role', () => {
    const { body, warnings } = build('mistral', { ...MULTI_TURN_TOOLS, stream: true, logprobs: true }, 'mistral-small-latest');
    expect(body.tool_choice).toBe('any');
    expect(body.random_seed).toBe(7);
    expect(body.seed).toBeUndefined();
    expect(body.stream_options).toBeUndefined();
    expect(body.messages[0].role).toBe('system');
    expect(body.max_tokens).toBe(200);
    expect(body.logprobs).toBeUndefined();
    expect(warnings.map((warning) => warning.param)).toContain('logprobs');
  });

  it('Mistral is never a passthrough target: its quirks must apply, and its tool calls lack `type`', () => {
    expect(provider('mistral').passthrough).toBeUndefined();
    expect(provider('mistral', { passthrough: true }).passthrough).toBeUndefined();
    expect(provider('groq').passthrough).toBeDefined();
    expect(provider('groq', { passthrough: false }).passthrough).toBeUndefined();
  });

  it('streams always ask for usage; images, audio, files and structured output convert', () => {
    const request: ChatRequest = {
      model: 'gpt-4o',
      stream: true,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'low' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0' } },
            { type: 'audio', source: { kind: 'base64', mediaType: 'audio/wav', data: 'UklGR' }, format: 'wav' },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' }, filename: 'a.pdf' },
          ],
        },
      ],
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true },
      reasoning: { effort: 'low' },
    };
    expect(build('openai', request).body).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": [
              {
                "text": "Describe",
                "type": "text",
              },
              {
                "image_url": {
                  "detail": "low",
                  "url": "https://example.com/a.png",
                },
                "type": "image_url",
              },
              {
                "image_url": {
                  "url": "data:image/png;base64,iVBORw0",
                },
                "type": "image_url",
              },
              {
                "input_audio": {
                  "data": "UklGR",
                  "format": "wav",
                },
                "type": "input_audio",
              },
              {
                "file": {
                  "file_data": "data:application/pdf;base64,JVBER",
                  "filename": "a.pdf",
                },
                "type": "file",
              },
            ],
            "role": "user",
          },
        ],
        "model": "gpt-4o",
        "reasoning_effort": "low",
        "response_format": {
          "json_schema": {
            "name": "answer",
            "schema": {
              "type": "object",
            },
            "strict": true,
          },
          "type": "json_schema",
        },
        "stream": true,
        "stream_options": {
          "include_usage": true,
        },
      }
    `);
  });

  it('converts a thinking budget to an effort with a warning, and warns on options meant for other providers', () => {
    const { body, warnings } = build('openai', {
      model: 'o4-mini',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      reasoning: { budgetTokens: 4000 },
      topK: 5,
      providerOptions: { anthropic: { container: 'x' }, openai: { store: true } },
    });
    expect(body.reasoning_effort).toBe('medium');
    expect(body.store).toBe(true);
    expect(body.top_k).toBeUndefined();
    expect(warnings.map((warning) => [warning.code, warning.param])).toEqual([
      ['unsupported-parameter', 'top_k'],
      ['lossy-conversion', 'reasoning'],
      ['unsupported-parameter', 'container'],
    ]);
  });

  it('sends the gateway key in the vendor header and never the client key', () => {
    const target = provider('groq');
    const upstream = target.chat!.buildRequest(
      { model: 'llama-3.3-70b-versatile', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] },
      { provider: target.settings, model: 'llama-3.3-70b-versatile', key: target.settings.keys[0], warnings: [] },
    );
    target.authenticate(upstream, target.settings.keys[0]);
    expect(upstream.origin + upstream.path).toBe('https://api.groq.com/openai/v1/chat/completions');
    expect(upstream.headers.authorization).toBe('Bearer sk-secret');
  });
});

/*
 * Recorded client requests decoded by the OpenAI surface and rebuilt by the provider of the same
 * vendor: the body the vendor receives carries the same meaning. Normalised differences: the
 * vendor's preferred max-tokens field, n=1 (the default) and stream usage the gateway always asks.
 */
const ROUND_TRIPS: Array<[string, string]> = [
  ['openai-chat/image-url-input.request.json', 'openai'],
  ['openai-chat/pdf-file-input.request.json', 'openai'],
  ['openai-chat/stream-text-with-usage.request.json', 'openai'],
  ['openai-chat/stream-tool-call-with-usage.request.json', 'openai'],
  ['deepseek/reasoning-non-stream.request.json', 'deepseek'],
  ['deepseek/stream-reasoning-content.request.json', 'deepseek'],
  ['groq/image-url-input.request.json', 'groq'],
  ['groq/reasoning-raw-think-tags.request.json', 'groq'],
  ['groq/stream-midstream-error-tool-use-failed.request.json', 'groq'],
  ['groq/stream-tool-call-reasoning.request.json', 'groq'],
  ['mistral/stream-thinking-magistral.request.json', 'mistral'],
  ['openrouter/stream-midstream-error.request.json', 'openrouter'],
  ['openrouter/stream-reasoning.request.json', 'openrouter'],
];

function normalise(body: Record<string, any>): Record<string, any> {
  const out = structuredClone(body);
  const max = out.max_completion_tokens ?? out.max_tokens;
  delete out.max_completion_tokens;
  delete out.max_tokens;
  if (max !== undefined) out.max_tokens = max;
  if (out.n === 1) delete out.n;
  if (out.stream) out.stream_options = { ...out.stream_options, include_usage: true };
  if (out.stream === false) delete out.stream;
  for (const message of out.messages) {
    if (Array.isArray(message.content) && message.content.length === 1 && message.content[0].type === 'text' && Object.keys(message.content[0]).length === 2) {
      message.content = message.content[0].text;
    }
    if (message.role === 'assistant' && message.content === undefined) message.content = null;
    // The legacy string form of image_url is the same as {url}.
    if (Array.isArray(message.content)) {
      for (const part of message.content) if (typeof part.image_url === 'string') part.image_url = { url: part.image_url };
    }
  }
  return out;
}

describe('recorded client requests survive decode → canonical → vendor request', () => {
  it.each(ROUND_TRIPS)('%s via %s', (fixture, type) => {
    const original = readFixtureJson<Record<string, any>>(fixture);
    const { request } = decodeOpenAiChatRequest(original);
    const { body, warnings } = build(type, request, original.model);
    expect(normalise(body)).toEqual(normalise(original));
    expect(warnings).toEqual([]);
  });
});
