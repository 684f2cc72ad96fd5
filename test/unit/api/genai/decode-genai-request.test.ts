import { describe, expect, it } from 'vitest';
import { decodeGenAiChatRequest } from '../../../../src/api/genai/decode-genai-request.js';
import type { GatewayError } from '../../../../src/core/index.js';

const info = (model: string) => ({ headers: {}, params: { model }, query: undefined });
const decode = (body: unknown, model = 'gemini-2.5-flash', stream = false) => decodeGenAiChatRequest(body, info(model), stream);

describe('GenAI request → canonical', () => {
  it('model from the URL ("models/" prefix, provider/model), stream from the method, usage always on', () => {
    const decoded = decode({ contents: [{ parts: [{ text: 'hi' }] }] }, 'models/openai/gpt-4o-mini', true);
    expect(decoded.request).toEqual({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true, includeUsage: true });
  });

  it('accepts snake_case field names as the REST API does', () => {
    const { request } = decode({
      system_instruction: { parts: [{ text: 'sys' }] },
      contents: [{ role: 'user', parts: [{ inline_data: { mime_type: 'image/png', data: 'AAAA' } }] }],
      generation_config: { max_output_tokens: 10, thinking_config: { thinking_budget: 0, include_thoughts: false } },
    });
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'sys' }] },
      { role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } }] },
    ]);
    expect(request.maxOutputTokens).toBe(10);
    expect(request.reasoning).toEqual({ enabled: false, includeThoughts: false });
  });

  it('thinking: budget -1 is dynamic (on), a positive budget is kept, levels become efforts', () => {
    expect(decode({ contents: 'x', generationConfig: { thinkingConfig: { thinkingBudget: -1 } } }).request.reasoning).toEqual({ enabled: true });
    expect(decode({ contents: 'x', generationConfig: { thinkingConfig: { thinkingBudget: 2048 } } }).request.reasoning).toEqual({ budgetTokens: 2048 });
    expect(decode({ contents: 'x', generationConfig: { thinkingConfig: { thinkingLevel: 'LOW' } } }).request.reasoning).toEqual({ effort: 'low' });
  });

  it('a user turn mixing function responses and text becomes a tool message then a user message; results find their call by name', () => {
    const { request } = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
            { functionCall: { name: 'weather', args: { city: 'Rome' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'weather', response: { temp: 20 } } },
            { functionResponse: { name: 'weather', response: { temp: 25 } } },
            { text: 'And tomorrow?' },
          ],
        },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'genai_call_1_0', name: 'weather', arguments: '{"city":"Paris"}', providerMetadata: { gemini: { thoughtSignature: 'sig-1' } } },
          { type: 'tool-call', id: 'genai_call_1_1', name: 'weather', arguments: '{"city":"Rome"}' },
        ],
      },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'genai_call_1_0', name: 'weather', content: '{"temp":20}' },
          { type: 'tool-result', toolCallId: 'genai_call_1_1', name: 'weather', content: '{"temp":25}' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
    ]);
  });

  it("function responses in Google's documented keys: a plain output is the result text, a plain error a failed result", () => {
    const { request } = decode({
      contents: [
        { role: 'model', parts: [{ functionCall: { id: 'call_1', name: 'weather', args: {} } }, { functionCall: { id: 'call_2', name: 'time', args: {} } }, { functionCall: { id: 'call_3', name: 'news', args: {} } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'call_1', name: 'weather', response: { output: '15 degrees and sunny' } } },
            { functionResponse: { id: 'call_2', name: 'time', response: { error: 'clock unavailable' } } },
            // Text that is JSON, or more than one key, stays the JSON the client sent.
            { functionResponse: { id: 'call_3', name: 'news', response: { output: '{"headline":"x"}' } } },
          ],
        },
      ],
    });
    expect(request.messages[1]!.content).toEqual([
      { type: 'tool-result', toolCallId: 'call_1', name: 'weather', content: '15 degrees and sunny' },
      { type: 'tool-result', toolCallId: 'call_2', name: 'time', content: 'clock unavailable', isError: true },
      { type: 'tool-result', toolCallId: 'call_3', name: 'news', content: '{"output":"{\\"headline\\":\\"x\\"}"}' },
    ]);
  });

  it('tool config: what the canonical form cannot say is kept for Gemini providers', () => {
    const exact = decode({ contents: 'x', toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a'] } } }).request;
    expect([exact.toolChoice, exact.providerOptions]).toEqual([{ type: 'tool', name: 'a' }, undefined]);
    const several = { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } };
    const lossy = decode({ contents: 'x', toolConfig: several }).request;
    expect([lossy.toolChoice, lossy.providerOptions]).toEqual([{ type: 'required' }, { gemini: { toolConfig: several } }]);
  });

  it('built-in tools become Gemini provider tools; OpenAPI parameters are converted and kept', () => {
    const { request } = decode({
      contents: 'x',
      tools: [
        { googleSearch: {} },
        { functionDeclarations: [{ name: 'f', parameters: { type: 'OBJECT', properties: { n: { type: 'INTEGER', nullable: true } }, propertyOrdering: ['n'] } }] },
      ],
    });
    expect(request.tools).toEqual([
      { type: 'provider', provider: 'gemini', name: 'googleSearch', spec: { googleSearch: {} } },
      {
        type: 'function',
        name: 'f',
        parameters: { type: 'object', properties: { n: { type: ['integer', 'null'] } } },
        providerOptions: { gemini: { parameters: { type: 'OBJECT', properties: { n: { type: 'INTEGER', nullable: true } }, propertyOrdering: ['n'] } } },
      },
    ]);
  });

  it('enum output (text/x.enum + schema) has no canonical form and is kept whole for Gemini providers', () => {
    const generationConfig = { responseMimeType: 'text/x.enum', responseSchema: { type: 'STRING', enum: ['a', 'b'] } };
    const { request } = decode({ contents: 'x', generationConfig });
    expect(request.responseFormat).toBeUndefined();
    expect(request.providerOptions).toEqual({ gemini: { generationConfig } });
  });

  it('fallbacks are a gateway directive, stripped before passthrough', () => {
    const decoded = decode({ contents: 'x', fallbacks: ['openai/gpt-4o-mini'] });
    expect(decoded.directives).toEqual({ fallbacks: ['openai/gpt-4o-mini'] });
    expect(decoded.gatewayFields).toEqual(['fallbacks']);
  });

  it('bad input is a 400 naming the field', () => {
    const failure = (body: unknown): GatewayError => {
      try {
        decode(body);
      } catch (error) {
        return error as GatewayError;
      }
      throw new Error('expected a failure');
    };
    expect(failure({ contents: [{ role: 'system', parts: [{ text: 'x' }] }] }).param).toBe('contents[0].role');
    expect(failure({ contents: [{ role: 'user', parts: [{ inlineData: { data: 'x' } }] }] }).param).toBe('contents[0].parts[0].inlineData.mimeType');
    expect(failure({ contents: [] }).param).toBe('contents');
    expect(failure({ contents: [{ role: 'model', parts: [{ executableCode: { code: 'print(1)' } }] }] }).message).toMatch(/executableCode part/);
  });
});
