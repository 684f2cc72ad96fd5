import { describe, expect, it } from 'vitest';
import { decodeCohereChatRequest } from '../../../../src/api/cohere/decode-cohere-chat-request.js';
import type { ChatRequest, Warning } from '../../../../src/core/index.js';
import { createCohereProvider } from '../../../../src/providers/cohere/define-cohere-provider.js';
import type { ProviderSettings } from '../../../../src/providers/provider-settings.js';
import { DEFAULT_TIMEOUTS } from '../../../../src/transport/upstream-request.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';

const settings: ProviderSettings = {
  id: 'cohere',
  type: 'cohere',
  baseUrl: 'https://api.cohere.com',
  origin: 'https://api.cohere.com',
  basePath: '',
  headers: {},
  timeouts: DEFAULT_TIMEOUTS,
  keys: [{ name: 'k', value: 'co-secret', weight: 1, options: {} }],
  models: [],
  passthrough: true,
  options: {},
};
const provider = createCohereProvider(settings);

function build(request: ChatRequest, model = 'command-a-03-2025') {
  const warnings: Warning[] = [];
  const upstream = provider.chat!.buildRequest(request, { provider: settings, model, key: settings.keys[0], warnings });
  void provider.authenticate(upstream, settings.keys[0]);
  return { upstream: { ...upstream, body: JSON.parse(upstream.body as string) as unknown }, warnings };
}

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

describe('Cohere upstream requests', () => {
  it('system prompt, sampling and a stream', () => {
    const { upstream, warnings } = build({
      model: 'cohere/command-a-03-2025',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] },
      ],
      stream: true,
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      seed: 7,
      stopSequences: ['\n\n'],
    });
    expect(warnings).toEqual([]);
    expect(upstream).toMatchInlineSnapshot(`
      {
        "body": {
          "k": 40,
          "max_tokens": 100,
          "messages": [
            {
              "content": "Be brief.",
              "role": "system",
            },
            {
              "content": "Capital of France?",
              "role": "user",
            },
          ],
          "model": "command-a-03-2025",
          "p": 0.9,
          "seed": 7,
          "stop_sequences": [
            "

      ",
          ],
          "stream": true,
          "temperature": 0.2,
        },
        "headers": {
          "accept": "text/event-stream",
          "authorization": "Bearer co-secret",
          "content-type": "application/json",
        },
        "method": "POST",
        "origin": "https://api.cohere.com",
        "path": "/v2/chat",
      }
    `);
  });

  it('multi-turn tool use: tool plan, parallel calls, tool results, tool_choice REQUIRED, strict tools', () => {
    const { upstream, warnings } = build({
      model: 'command-a-03-2025',
      stream: false,
      tools: [WEATHER_TOOL, { ...WEATHER_TOOL, name: 'cityAttractions', description: 'Attractions', strict: true }],
      toolChoice: { type: 'required' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather and sights in San Francisco?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'I will use the weather and cityAttractions tools.' },
            { type: 'tool-call', id: 'weather_dqgshstja6p9', name: 'weather', arguments: '{"location":"San Francisco"}' },
            { type: 'tool-call', id: 'cityAttractions_dcxfx4myvx68', name: 'cityAttractions', arguments: '{"city":"San Francisco"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'weather_dqgshstja6p9', content: '{"temperature": 18}' },
            { type: 'tool-result', toolCallId: 'cityAttractions_dcxfx4myvx68', content: [{ type: 'text', text: 'Golden Gate Bridge' }, { type: 'text', text: 'Alcatraz' }] },
          ],
        },
      ],
    });
    expect(upstream.body).toMatchInlineSnapshot(`
      {
        "messages": [
          {
            "content": "Weather and sights in San Francisco?",
            "role": "user",
          },
          {
            "role": "assistant",
            "tool_calls": [
              {
                "function": {
                  "arguments": "{"location":"San Francisco"}",
                  "name": "weather",
                },
                "id": "weather_dqgshstja6p9",
                "type": "function",
              },
              {
                "function": {
                  "arguments": "{"city":"San Francisco"}",
                  "name": "cityAttractions",
                },
                "id": "cityAttractions_dcxfx4myvx68",
                "type": "function",
              },
            ],
            "tool_plan": "I will use the weather and cityAttractions tools.",
          },
          {
            "content": "{"temperature": 18}",
            "role": "tool",
            "tool_call_id": "weather_dqgshstja6p9",
          },
          {
            "content": [
              {
                "text": "Golden Gate Bridge",
                "type": "text",
              },
              {
                "text": "Alcatraz",
                "type": "text",
              },
            ],
            "role": "tool",
            "tool_call_id": "cityAttractions_dcxfx4myvx68",
          },
        ],
        "model": "command-a-03-2025",
        "strict_tools": true,
        "tool_choice": "REQUIRED",
        "tools": [
          {
            "function": {
              "description": "Current weather in a city",
              "name": "weather",
              "parameters": {
                "properties": {
                  "location": {
                    "type": "string",
                  },
                },
                "required": [
                  "location",
                ],
                "type": "object",
              },
            },
            "type": "function",
          },
          {
            "function": {
              "description": "Attractions",
              "name": "cityAttractions",
              "parameters": {
                "properties": {
                  "location": {
                    "type": "string",
                  },
                },
                "required": [
                  "location",
                ],
                "type": "object",
              },
            },
            "type": "function",
          },
        ],
      }
    `);
    expect(warnings.map((warning) => warning.code)).toEqual(['lossy-conversion']);
  });

  it('a named tool choice is emulated: only that tool, REQUIRED, with a warning', () => {
    const { upstream, warnings } = build({
      model: 'm',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [WEATHER_TOOL, { ...WEATHER_TOOL, name: 'other' }],
      toolChoice: { type: 'tool', name: 'weather' },
    });
    const body = upstream.body as { tools: Array<{ function: { name: string } }>; tool_choice: string };
    expect(body.tools.map((tool) => tool.function.name)).toEqual(['weather']);
    expect(body.tool_choice).toBe('REQUIRED');
    expect(warnings).toEqual([expect.objectContaining({ code: 'emulated', param: 'tool_choice' })]);
  });

  it('tool_choice none is NONE', () => {
    const { upstream } = build({ model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [WEATHER_TOOL], toolChoice: { type: 'none' } });
    expect((upstream.body as { tool_choice: string }).tool_choice).toBe('NONE');
  });

  it('reasoning_effort maps to a thinking token budget (lossy, warned); budgets and off map exactly', () => {
    const user = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    const effort = build({ model: 'command-a-reasoning-08-2025', stream: false, messages: user, reasoning: { effort: 'high' } });
    expect((effort.upstream.body as { thinking: unknown }).thinking).toEqual({ type: 'enabled', token_budget: 16384 });
    expect(effort.warnings).toEqual([expect.objectContaining({ code: 'lossy-conversion', param: 'reasoning_effort' })]);
    const budget = build({ model: 'm', stream: false, messages: user, reasoning: { enabled: true, budgetTokens: 3000 } });
    expect((budget.upstream.body as { thinking: unknown }).thinking).toEqual({ type: 'enabled', token_budget: 3000 });
    expect(budget.warnings).toEqual([]);
    const off = build({ model: 'm', stream: false, messages: user, reasoning: { effort: 'none' } });
    expect((off.upstream.body as { thinking: unknown }).thinking).toEqual({ type: 'disabled' });
  });

  it('structured output: json_object with the schema', () => {
    const { upstream } = build({
      model: 'm',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } }, strict: true },
    });
    expect((upstream.body as { response_format: unknown }).response_format).toEqual({ type: 'json_object', json_schema: { type: 'object', properties: { a: { type: 'string' } } } });
  });

  it('images as image_url (URL or data URL); text files as documents; other files, audio and unsupported parameters warn', () => {
    const { upstream, warnings } = build({
      model: 'command-a-vision-07-2025',
      stream: false,
      n: 2,
      logitBias: { '1': 2 },
      user: 'u1',
      providerOptions: { anthropic: { metadata: { user_id: 'x' } }, cohere: { safety_mode: 'STRICT' } },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe', cacheControl: { type: 'ephemeral' } },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' }, detail: 'low' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: Buffer.from('Doc body').toString('base64') }, title: 'notes.txt' },
            { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' }, mediaType: 'application/pdf' },
            { type: 'audio', source: { kind: 'base64', mediaType: 'audio/wav', data: 'AAAA' } },
          ],
        },
      ],
    }, 'command-a-vision-07-2025');
    expect(upstream.body).toMatchInlineSnapshot(`
      {
        "documents": [
          {
            "data": {
              "text": "Doc body",
              "title": "notes.txt",
            },
            "id": "doc:0",
          },
        ],
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
                  "url": "https://example.com/cat.png",
                },
                "type": "image_url",
              },
              {
                "image_url": {
                  "url": "data:image/png;base64,iVBORw0KGgo=",
                },
                "type": "image_url",
              },
            ],
            "role": "user",
          },
        ],
        "model": "command-a-vision-07-2025",
        "safety_mode": "STRICT",
      }
    `);
    expect(warnings.map((warning) => `${warning.code}:${warning.param ?? ''}`)).toEqual([
      'unsupported-content:',
      'unsupported-content:',
      'unsupported-parameter:n',
      'unsupported-parameter:logit_bias',
      'unsupported-parameter:user',
      'unsupported-parameter:cache_control',
      'unsupported-parameter:metadata',
    ]);
  });

  it('the recorded pydantic-ai request (multi-turn with thinking) survives Cohere surface → canonical → Cohere provider', () => {
    const original = readFixtureJson<Record<string, unknown>>('cohere/thinking-non-stream.request.json');
    const { request } = decodeCohereChatRequest(original);
    const { upstream, warnings } = build(request, 'command-a-reasoning-08-2025');
    expect(warnings).toEqual([]);
    const { stream: _stream, ...expected } = original;
    expect(upstream.body).toEqual(expected);
  });
});
