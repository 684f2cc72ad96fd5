import { FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

type Json = Record<string, unknown>;

/**
 * N + M: the @google/genai SDK speaking to the gateway, routed to an OpenAI provider (a mock
 * replaying recorded OpenAI traffic). Everything goes through the canonical model.
 */
describe('@google/genai → OpenAI provider', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let genai: GoogleGenAI;

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    gateway = await startTestGateway({ providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } } });
    genai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: `${gateway.url}/genai` } });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());

  const sent = (): Json => upstream.requests.at(-1)!.json as Json;

  it('generateContent: text, usage and finish reason in Gemini terms; the request in OpenAI terms', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    const response = await genai.models.generateContent({
      model: 'gpt-4o-mini',
      contents: 'Say this is a test',
      config: { systemInstruction: 'Be brief.', temperature: 0.2, maxOutputTokens: 50, stopSequences: ['\n\n'], candidateCount: 1 },
    });
    expect(response.text).toBeTypeOf('string');
    expect(response.text!.length).toBeGreaterThan(0);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.promptTokenCount).toBeGreaterThan(0);
    expect(response.usageMetadata?.totalTokenCount).toBe((response.usageMetadata?.promptTokenCount ?? 0) + (response.usageMetadata?.candidatesTokenCount ?? 0));
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer sk-provider');
    expect(sent()).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say this is a test' },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
      stop: ['\n\n'],
    });
  });

  it('generateContentStream: OpenAI chunks become GenAI chunks; usage arrives on the last one', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 40, randomChunks: true }));
    const stream = await genai.models.generateContentStream({ model: 'openai/gpt-4o-mini', contents: 'Say hello' });
    let text = '';
    let finish: string | undefined;
    let usage: Json | undefined;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.text ?? '';
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
      usage = (chunk.usageMetadata as Json | undefined) ?? usage;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(text.length).toBeGreaterThan(0);
    expect(finish).toBe('STOP');
    expect(usage).toMatchObject({ promptTokenCount: expect.any(Number), candidatesTokenCount: expect.any(Number) });
    expect(sent()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('function calling: OpenAI tool calls become functionCall parts; the functionResponse goes back as a tool message with the call id', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/tool-call.json'));
    const tools = [
      {
        functionDeclarations: [
          {
            name: 'GetWeatherArgs',
            description: 'Weather in a city',
            parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING }, country: { type: Type.STRING }, units: { type: Type.STRING, enum: ['c', 'f'], nullable: true } }, required: ['city'] },
          },
        ],
      },
    ];
    const first = await genai.models.generateContent({
      model: 'gpt-4o-mini',
      contents: 'Weather in Edinburgh?',
      config: { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['GetWeatherArgs'] } } },
    });
    const call = first.functionCalls![0]!;
    expect([call.name, call.args, call.id]).toEqual(['GetWeatherArgs', { city: 'Edinburgh', country: 'UK', units: 'c' }, 'call_Y6qJ7ofLgOrBnMD5WbVAeiRV']);
    expect(first.candidates?.[0]?.finishReason).toBe('STOP');
    // The Gemini schema was converted to JSON Schema; ANY with one name is a forced call.
    expect(sent()).toMatchObject({
      tools: [
        {
          type: 'function',
          function: {
            name: 'GetWeatherArgs',
            parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: ['string', 'null'], enum: ['c', 'f'] } }, required: ['city'] },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'GetWeatherArgs' } },
    });

    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    // The client replays the model turn and answers without an id, as many GenAI clients do.
    const modelTurn = first.candidates![0]!.content!;
    const withoutIds = { ...modelTurn, parts: modelTurn.parts!.map((part) => (part.functionCall ? { functionCall: { name: part.functionCall.name, args: part.functionCall.args } } : part)) };
    await genai.models.generateContent({
      model: 'gpt-4o-mini',
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Edinburgh?' }] },
        withoutIds,
        { role: 'user', parts: [{ functionResponse: { name: 'GetWeatherArgs', response: { temperature: 11 } } }] },
      ],
      config: { tools },
    });
    const messages = (sent() as { messages: Json[] }).messages;
    expect(messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'genai_call_1_0', type: 'function', function: { name: 'GetWeatherArgs', arguments: '{"city":"Edinburgh","country":"UK","units":"c"}' } }] },
      { role: 'tool', tool_call_id: 'genai_call_1_0', content: '{"temperature":11}' },
    ]);
  });

  it('streamed tool calls arrive as whole functionCall parts', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/stream-parallel-tool-calls.sse', { chunkSize: 33, randomChunks: true }));
    const stream = await genai.models.generateContentStream({
      model: 'gpt-4o-mini',
      contents: 'Weather in two cities?',
      config: { tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { location: { type: 'string' } } } }] }] },
    });
    const calls: Array<{ name?: string; args?: unknown }> = [];
    for await (const chunk of stream) for (const call of chunk.functionCalls ?? []) calls.push({ name: call.name, args: call.args });
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) expect(call.args).toBeTypeOf('object');
  });

  it('JSON output: responseMimeType + responseSchema → response_format json_schema', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    await genai.models.generateContent({
      model: 'gpt-4o-mini',
      contents: 'Give me a city',
      config: { responseMimeType: 'application/json', responseSchema: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, propertyOrdering: ['city'] } },
    });
    expect(sent().response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object', properties: { city: { type: 'string' } } } } });
  });

  it('safety settings and other Gemini-only fields are reported as warnings, not dropped silently', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/text.json'));
    const response = await genai.models.generateContent({
      model: 'gpt-4o-mini',
      contents: 'x',
      config: { safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH' as never, threshold: 'BLOCK_LOW_AND_ABOVE' as never }] },
    });
    expect(response.sdkHttpResponse?.headers?.['x-switchyard-warnings']).toBe('unsupported-parameter(safetySettings)');
  });

  it('embedContent through OpenAI embeddings', async () => {
    upstream.on('POST', '/v1/embeddings', fixtureReply('openai-embeddings/embedding-float.json'));
    const result = await genai.models.embedContent({ model: 'openai/text-embedding-3-small', contents: 'The food was delicious' });
    expect(result.embeddings?.[0]?.values?.length).toBeGreaterThan(100);
    expect(sent()).toEqual({ model: 'text-embedding-3-small', input: 'The food was delicious' });
  });

  it('countTokens is estimated locally and says so', async () => {
    const response = await fetch(`${gateway.url}/genai/v1beta/models/gpt-4o-mini:countTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'How many tokens is this sentence?' }] }] }),
    });
    expect(response.headers.get('x-switchyard-token-count')).toBe('estimated');
    const body = (await response.json()) as { totalTokens: number };
    expect(body.totalTokens).toBeGreaterThan(5);
    expect(body.totalTokens).toBeLessThan(20);
    const counted = await genai.models.countTokens({ model: 'gpt-4o-mini', contents: 'How many tokens is this sentence?' });
    expect(counted.totalTokens).toBe(body.totalTokens);
  });

  it('an OpenAI error reaches the GenAI SDK with its status', async () => {
    upstream.on('POST', '/v1/chat/completions', fixtureReply('openai-chat/error-401-invalid-api-key.json', { status: 401 }));
    await expect(genai.models.generateContent({ model: 'gpt-4o-mini', contents: 'x' })).rejects.toMatchObject({ status: 401 });
  });
});
