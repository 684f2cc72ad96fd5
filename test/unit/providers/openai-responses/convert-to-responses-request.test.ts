import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../../../src/core/index.js';
import { decodeResponsesResponse } from '../../../../src/providers/openai-responses/decode-responses-response.js';
import { readFixtureJson } from '../../../helpers/fixtures.js';
import { providerFromConfig, upstreamRequest } from './provider-from-config.js';

const openai = providerFromConfig('openai', { baseUrl: 'https://api.openai.com/v1', keys: [{ value: 'sk-test-secret' }], api: 'responses' });

describe('canonical → Responses request (openai with api: responses)', () => {
  it('a plain text turn with a system prompt', async () => {
    const request: ChatRequest = {
      model: 'gpt-4.1',
      stream: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'You are terse.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
      ],
      maxOutputTokens: 100,
      temperature: 0.2,
    };
    expect(await upstreamRequest(openai, request)).toMatchInlineSnapshot(`
      {
        "body": {
          "input": [
            {
              "content": [
                {
                  "text": "What is the capital of France?",
                  "type": "input_text",
                },
              ],
              "role": "user",
            },
          ],
          "instructions": "You are terse.",
          "max_output_tokens": 100,
          "model": "gpt-4.1",
          "store": false,
          "temperature": 0.2,
        },
        "headers": {
          "accept": "application/json",
          "authorization": "Bearer <redacted>",
          "content-type": "application/json",
        },
        "url": "POST https://api.openai.com/v1/responses",
        "warnings": [],
      }
    `);
  });

  it('multi-turn tool use: function_call and function_call_output items, tools and tool_choice, structured output', async () => {
    const request: ChatRequest = {
      model: 'gpt-4o',
      stream: true,
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Use tools.' }], developer: true },
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Capital of the country in this picture and file?' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/flag.png' }, detail: 'low' },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' }, filename: 'atlas.pdf' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me check.' },
            { type: 'tool-call', id: 'call_1', name: 'get_capital', arguments: '{"country":"France"}' },
            { type: 'tool-call', id: 'call_2', name: 'get_capital', arguments: '{"country":"Spain"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'call_1', content: 'Paris' },
            { type: 'tool-result', toolCallId: 'call_2', content: [{ type: 'text', text: 'Madrid' }] },
          ],
        },
      ],
      tools: [
        { type: 'function', name: 'get_capital', description: 'Capital of a country', parameters: { type: 'object', properties: { country: { type: 'string' } } } },
        { type: 'function', name: 'strict_tool', parameters: { type: 'object', properties: {}, additionalProperties: false }, strict: true },
      ],
      toolChoice: { type: 'tool', name: 'get_capital' },
      parallelToolCalls: true,
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object', properties: { city: { type: 'string' } } }, strict: true },
    };
    expect(await upstreamRequest(openai, request)).toMatchInlineSnapshot(`
      {
        "body": {
          "input": [
            {
              "content": [
                {
                  "text": "Use tools.",
                  "type": "input_text",
                },
              ],
              "role": "developer",
            },
            {
              "content": [
                {
                  "text": "Be brief.",
                  "type": "input_text",
                },
              ],
              "role": "system",
            },
            {
              "content": [
                {
                  "text": "Capital of the country in this picture and file?",
                  "type": "input_text",
                },
                {
                  "detail": "low",
                  "image_url": "https://example.com/flag.png",
                  "type": "input_image",
                },
                {
                  "file_data": "data:application/pdf;base64,JVBERi0=",
                  "filename": "atlas.pdf",
                  "type": "input_file",
                },
              ],
              "role": "user",
            },
            {
              "content": [
                {
                  "annotations": [],
                  "text": "Let me check.",
                  "type": "output_text",
                },
              ],
              "role": "assistant",
            },
            {
              "arguments": "{"country":"France"}",
              "call_id": "call_1",
              "name": "get_capital",
              "type": "function_call",
            },
            {
              "arguments": "{"country":"Spain"}",
              "call_id": "call_2",
              "name": "get_capital",
              "type": "function_call",
            },
            {
              "call_id": "call_1",
              "output": "Paris",
              "type": "function_call_output",
            },
            {
              "call_id": "call_2",
              "output": [
                {
                  "text": "Madrid",
                  "type": "input_text",
                },
              ],
              "type": "function_call_output",
            },
          ],
          "model": "gpt-4o",
          "parallel_tool_calls": true,
          "store": false,
          "stream": true,
          "text": {
            "format": {
              "name": "answer",
              "schema": {
                "properties": {
                  "city": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
              "strict": true,
              "type": "json_schema",
            },
          },
          "tool_choice": {
            "name": "get_capital",
            "type": "function",
          },
          "tools": [
            {
              "description": "Capital of a country",
              "name": "get_capital",
              "parameters": {
                "properties": {
                  "country": {
                    "type": "string",
                  },
                },
                "type": "object",
              },
              "strict": false,
              "type": "function",
            },
            {
              "name": "strict_tool",
              "parameters": {
                "additionalProperties": false,
                "properties": {},
                "type": "object",
              },
              "strict": true,
              "type": "function",
            },
          ],
        },
        "headers": {
          "accept": "text/event-stream",
          "authorization": "Bearer <redacted>",
          "content-type": "application/json",
        },
        "url": "POST https://api.openai.com/v1/responses",
        "warnings": [],
      }
    `);
  });

  it('a reasoning round trip: the decoded reasoning item (encrypted content, item id) goes back with include', async () => {
    const first = decodeResponsesResponse(readFixtureJson('openai-responses/reasoning-encrypted-content.json'), 'openai');
    const assistant = first.choices[0]!.content;
    const request: ChatRequest = {
      model: 'gpt-5-mini',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Compute (12+7)*3*10 step by step.' }] },
        { role: 'assistant', content: assistant },
        { role: 'user', content: [{ type: 'text', text: 'Now divide by 2.' }] },
      ],
      reasoning: { effort: 'low', includeThoughts: true },
    };
    const built = await upstreamRequest(openai, request);
    const body = built.body as { input: Array<Record<string, unknown>>; include: string[]; reasoning: unknown; store: boolean };
    expect(body.include).toEqual(['reasoning.encrypted_content']);
    expect(body.reasoning).toEqual({ effort: 'low', summary: 'auto' });
    expect(body.store).toBe(false);
    const reasoning = body.input[1]!;
    expect(reasoning.type).toBe('reasoning');
    expect(reasoning.id).toBe('rs_0f35ed53160b395301693cc95817ac8190b978637daea4987e');
    expect(String(reasoning.encrypted_content)).toMatch(/^gAAAAABpPMlcH0HHEv5_/);
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: expect.stringContaining('**Reporting final result**') }]);
    expect(body.input[2]).toEqual({ role: 'assistant', content: [{ type: 'output_text', text: expect.stringContaining('Final result: 570'), annotations: [] }] });
    expect(built.warnings).toEqual([]);
  });

  it('reasoning from another provider, unsupported parameters and foreign options become warnings', async () => {
    const request: ChatRequest = {
      model: 'o3',
      stream: false,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'thinking…', signature: 'sig-anthropic' }, { type: 'text', text: 'hello' }] },
        { role: 'user', content: [{ type: 'text', text: 'again' }] },
      ],
      stopSequences: ['\n'],
      seed: 7,
      n: 2,
      reasoning: { budgetTokens: 4000 },
      providerOptions: { anthropic: { top_k: 3 }, openai: { prompt_cache_key: 'k1', modalities: ['text'] } },
    };
    const built = await upstreamRequest(openai, request);
    expect(built.body).toMatchObject({ reasoning: { effort: 'medium' }, prompt_cache_key: 'k1', include: ['reasoning.encrypted_content'] });
    expect(built.warnings.map((warning) => `${warning.code}:${warning.param ?? ''}`)).toEqual([
      'unsupported-parameter:modalities',
      'lossy-conversion:',
      'unsupported-parameter:stop',
      'unsupported-parameter:n',
      'unsupported-parameter:seed',
      'lossy-conversion:reasoning',
      'unsupported-parameter:top_k',
    ]);
  });
});

describe('openai responsesModels: the Responses API per model', () => {
  const mixed = providerFromConfig('openai', { keys: [{ value: 'sk-x' }], responsesModels: ['o3-pro', 'codex-*'] });
  const hello: ChatRequest = { model: 'x', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };

  it('sends the listed models to /responses and the others to /chat/completions', async () => {
    expect(mixed.dialect).toBe('openai-chat');
    expect((await upstreamRequest(mixed, hello, 'o3-pro')).url).toBe('POST https://api.openai.com/v1/responses');
    expect((await upstreamRequest(mixed, hello, 'codex-mini-latest')).url).toBe('POST https://api.openai.com/v1/responses');
    expect((await upstreamRequest(mixed, hello, 'gpt-4o')).url).toBe('POST https://api.openai.com/v1/chat/completions');
  });

  it('refuses chat passthrough for Responses-only models, so their requests are converted', () => {
    const body = Buffer.from('{"model":"o3-pro","messages":[{"role":"user","content":"hi"}]}');
    const parsed = JSON.parse(body.toString()) as Record<string, unknown>;
    const context = { provider: mixed.settings, model: 'o3-pro', key: undefined, warnings: [] };
    expect(mixed.passthrough!.buildRequest('chat', body, parsed, context, { removeFields: [] })).toBeUndefined();
    expect(mixed.passthrough!.buildRequest('chat', body, parsed, { ...context, model: 'gpt-4o' }, { removeFields: [] })).toBeDefined();
  });
});
