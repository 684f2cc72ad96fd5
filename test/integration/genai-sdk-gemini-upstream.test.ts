import { FunctionCallingConfigMode, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../../src/pipeline/request-record.js';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';

type Json = Record<string, unknown>;

/**
 * The real @google/genai and openai SDKs against the gateway, in front of a mock Gemini API
 * that replays recorded Gemini traffic. "gemini" forwards bytes (passthrough, the default for
 * a GenAI client and a Gemini provider); "gemini-canonical" has passthrough off, so the same
 * calls go through decode → canonical → encode.
 */
describe('Gemini upstream: @google/genai and openai SDKs through the gateway', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let genai: GoogleGenAI;
  let openai: OpenAI;
  const records: RequestRecord[] = [];

  const GENERATE = '/v1beta/models/gemini-2.5-flash:generateContent';
  const STREAM = '/v1beta/models/gemini-2.5-flash:streamGenerateContent';

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    gateway = await startTestGateway({
      providers: {
        gemini: { baseUrl: `${upstream.url}/v1beta`, keys: [{ value: 'AIza-provider-key' }] },
        'gemini-canonical': { type: 'gemini', baseUrl: `${upstream.url}/v1beta`, keys: [{ value: 'AIza-provider-key' }], passthrough: false, models: ['canonical-*'] },
      },
    });
    gateway.gateway.runtime.hooks.complete.push((record) => records.push(record));
    genai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: `${gateway.url}/genai` } });
    openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key' });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });
  beforeEach(() => upstream.reset());

  const last = (): RecordedRequest => upstream.requests.at(-1)!;

  describe('@google/genai → Gemini', () => {
    for (const [label, model] of [
      ['passthrough', 'gemini/gemini-2.5-flash'],
      ['canonical', 'gemini-canonical/gemini-2.5-flash'],
    ] as const) {
      it(`generateContent (${label})`, async () => {
        upstream.on('POST', GENERATE, fixtureReply('gemini/text.json'));
        const response = await genai.models.generateContent({ model, contents: 'Hello!', config: { systemInstruction: 'You are a chatbot.' } });
        expect(response.text).toBe('Hello! How can I help you today?');
        expect(response.usageMetadata).toMatchObject({ promptTokenCount: 9, candidatesTokenCount: 9, thoughtsTokenCount: 34, totalTokenCount: 52 });
        expect(response.responseId).toBe('bzlXaa_EE_aHqtsPi_zw8Ao');
        // Usage read (by the side parser when passthrough) and priced.
        expect(response.sdkHttpResponse?.headers?.['x-switchyard-cost-usd']).toBe((9 * 0.3e-6 + 43 * 2.5e-6).toFixed(8));
        expect(response.sdkHttpResponse?.headers?.['x-switchyard-passthrough']).toBe(label === 'passthrough' ? 'true' : undefined);
        // The provider's key goes upstream, never the client's.
        expect(last().headers['x-goog-api-key']).toBe('AIza-provider-key');
        const sent = last().json as Json;
        expect(sent.contents).toEqual([{ parts: [{ text: 'Hello!' }], role: 'user' }]);
        expect((sent.systemInstruction as { parts: unknown }).parts).toEqual([{ text: 'You are a chatbot.' }]);
      });

      it(`generateContentStream (${label}) with CRLF framing cut at random offsets`, async () => {
        upstream.on('POST', STREAM, fixtureReply('gemini/stream-thinking.sse', { chunkSize: 211, randomChunks: true }));
        const stream = await genai.models.generateContentStream({ model, contents: 'How do I cross the street?', config: { thinkingConfig: { includeThoughts: true } } });
        let text = '';
        let thoughts = '';
        let signature: string | undefined;
        let usage: Json | undefined;
        let finish: string | undefined;
        for await (const chunk of stream) {
          for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
            if (part.thought) thoughts += part.text ?? '';
            else text += part.text ?? '';
            signature ??= part.thoughtSignature;
          }
          usage = (chunk.usageMetadata as Json | undefined) ?? usage;
          finish = chunk.candidates?.[0]?.finishReason ?? finish;
        }
        expect(thoughts.startsWith('**Clarifying User Goals**')).toBe(true);
        expect(text.startsWith('This is a great question!')).toBe(true);
        expect(text.endsWith('Always assume a driver might not see you.')).toBe(true);
        expect(signature?.startsWith('CiIB0e2Kb6Syj1a961EfbWv4W5C8Rg')).toBe(true);
        expect(usage).toMatchObject({ promptTokenCount: 34, candidatesTokenCount: 469, thoughtsTokenCount: 787, totalTokenCount: 1290 });
        expect(finish).toBe('STOP');
        // The request record has the final usage (read by the side parser when passthrough).
        await vi.waitFor(() => expect(records.at(-1)?.path).toContain('streamGenerateContent'));
        expect(records.at(-1)).toMatchObject({ passthrough: label === 'passthrough', usage: { inputTokens: 34, outputTokens: 1256, reasoningTokens: 787, totalTokens: 1290 }});
        if (label === 'canonical') expect(records.at(-1)?.finishReason).toBe('STOP');
        expect(upstream.requests.at(-1)!.path).toBe(STREAM);
        expect((last().json as { generationConfig: Json }).generationConfig).toEqual({ thinkingConfig: { includeThoughts: true } });
      });

      it(`function calling with a Gemini 3 thought signature, then the function response (${label})`, async () => {
        upstream.on('POST', GENERATE, fixtureReply('gemini/tool-call-gemini3.json'));
        const tools = [{ functionDeclarations: [{ name: 'weather', description: 'Weather in a city', parametersJsonSchema: { type: 'object', properties: { location: { type: 'string' } } } }] }];
        const first = await genai.models.generateContent({
          model,
          contents: 'Weather in San Francisco?',
          config: { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } } },
        });
        expect(first.functionCalls?.map((call) => [call.name, call.args])).toEqual([['weather', { location: 'San Francisco' }]]);
        const modelTurn = first.candidates![0]!.content!;
        const signed = modelTurn.parts!.find((part) => part.functionCall !== undefined)!;
        expect(signed.thoughtSignature).toBe(readFixtureJson<{ candidates: Array<{ content: { parts: Json[] } }> }>('gemini/tool-call-gemini3.json').candidates[0]!.content.parts[0]!.thoughtSignature);

        upstream.on('POST', GENERATE, fixtureReply('gemini/text.json'));
        await genai.models.generateContent({
          model,
          contents: [
            { role: 'user', parts: [{ text: 'Weather in San Francisco?' }] },
            modelTurn,
            { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temperature: 18 } } }] },
          ],
          config: { tools },
        });
        const sent = last().json as { contents: Array<{ role: string; parts: Json[] }> };
        expect(sent.contents[1]!.role).toBe('model');
        expect(sent.contents[1]!.parts[0]!.thoughtSignature).toBe(signed.thoughtSignature);
        expect((sent.contents[1]!.parts[0]!.functionCall as Json).name).toBe('weather');
        expect(sent.contents[2]!.parts[0]).toEqual({ functionResponse: { name: 'weather', response: { temperature: 18 } } });
      });
    }

    it('embedContent and batchEmbedContents (passthrough and canonical)', async () => {
      upstream.on('POST', '/v1beta/models/gemini-embedding-001:embedContent', { status: 200, body: JSON.stringify({ embedding: { values: [0.25, -0.5] } }) });
      upstream.on('POST', '/v1beta/models/gemini-embedding-001:batchEmbedContents', { status: 200, body: JSON.stringify({ embeddings: [{ values: [1, 2] }, { values: [3, 4] }] }) });
      // The SDK batches even one text; :embedContent is for clients that call it directly.
      for (const model of ['gemini', 'gemini-canonical']) {
        const single = await fetch(`${gateway.url}/genai/v1beta/models/${model}%2Fgemini-embedding-001:embedContent`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-goog-api-key': 'client-key' },
          body: JSON.stringify({ content: { parts: [{ text: 'hello' }] }, taskType: 'RETRIEVAL_QUERY', title: 'greeting' }),
        });
        expect(await single.json()).toEqual({ embedding: { values: [0.25, -0.5] } });
        expect(last().json).toEqual({ content: { parts: [{ text: 'hello' }] }, taskType: 'RETRIEVAL_QUERY', title: 'greeting' });
        expect(last().headers['x-goog-api-key']).toBe('AIza-provider-key');
      }
      // The SDK sends several contents as one batch, each request naming the model.
      const batch = await genai.models.embedContent({ model: 'gemini-canonical/gemini-embedding-001', contents: ['a', 'b'], config: { outputDimensionality: 2 } });
      expect(batch.embeddings?.map((embedding) => embedding.values)).toEqual([[1, 2], [3, 4]]);
      expect(last().json).toEqual({
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 2 },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] }, outputDimensionality: 2 },
        ],
      });
    });

    it('countTokens is forwarded to Gemini', async () => {
      upstream.on('POST', '/v1beta/models/gemini-2.5-flash:countTokens', { status: 200, body: JSON.stringify({ totalTokens: 31, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }] }) });
      const counted = await genai.models.countTokens({ model: 'gemini/gemini-2.5-flash', contents: 'How many tokens is this?' });
      expect(counted.totalTokens).toBe(31);
      expect(last().json).toEqual({ contents: [{ parts: [{ text: 'How many tokens is this?' }], role: 'user' }] });
    });

    it('lists and gets models', async () => {
      const names: string[] = [];
      for await (const model of await genai.models.list()) names.push(model.name ?? '');
      expect(names).toContain('models/gemini/gemini-2.5-flash');
      const one = await genai.models.get({ model: 'gemini/gemini-2.5-pro' });
      expect(one.name).toBe('models/gemini/gemini-2.5-pro');
    });
  });

  describe('errors reach the GenAI SDK with the right status', () => {
    const statusOf = async (promise: Promise<unknown>): Promise<{ status: number; message: string }> => {
      try {
        await promise;
      } catch (error) {
        return { status: (error as { status: number }).status, message: (error as Error).message };
      }
      throw new Error('expected a failure');
    };

    it('rate limit (RESOURCE_EXHAUSTED with RetryInfo): 429 and the retry delay', async () => {
      upstream.on('POST', GENERATE, fixtureReply('gemini/error-429-resource-exhausted-retry-info.json', { status: 429 }));
      const failure = await statusOf(genai.models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'x' }));
      expect(failure.status).toBe(429);
      const body = JSON.parse(failure.message) as { error: { status: string; details: Json[] } };
      expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
      expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '34.4s' });
    });

    it('invalid provider key: 401 UNAUTHENTICATED', async () => {
      upstream.on('POST', GENERATE, {
        status: 400,
        body: JSON.stringify({ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] } }),
      });
      const failure = await statusOf(genai.models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'x' }));
      expect(failure.status).toBe(401);
      expect(JSON.parse(failure.message)).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    });

    it('bad request: 400 INVALID_ARGUMENT with the provider message', async () => {
      upstream.on('POST', GENERATE, fixtureReply('gemini/vertex-error-400-invalid-argument.json', { status: 400 }));
      const failure = await statusOf(genai.models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'x' }));
      expect(failure.status).toBe(400);
      expect(JSON.parse(failure.message)).toMatchObject({ error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining('URL_ROBOTED') } });
    });

    it('unknown model: 404 NOT_FOUND', async () => {
      upstream.on('POST', '/v1beta/models/gemini-3.6-flahs:generateContent', fixtureReply('gemini/error-404-model-not-found.json', { status: 404 }));
      const failure = await statusOf(genai.models.generateContent({ model: 'gemini/gemini-3.6-flahs', contents: 'x' }));
      expect(failure.status).toBe(404);
      expect(JSON.parse(failure.message)).toMatchObject({ error: { status: 'NOT_FOUND' } });
    });

    it('upstream down (connection reset): 502 UNAVAILABLE', async () => {
      upstream.on('POST', GENERATE, { reset: true });
      const failure = await statusOf(genai.models.generateContent({ model: 'gemini/gemini-2.5-flash', contents: 'x' }));
      expect(failure.status).toBe(502);
      expect(JSON.parse(failure.message)).toMatchObject({ error: { status: 'UNAVAILABLE' } });
    });

    it('a mid-stream error event makes the SDK throw', async () => {
      const first = readFixtureText('gemini/stream-text.sse').split('\r\n\r\n')[0]!;
      const error = JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
      for (const model of ['gemini/gemini-2.5-flash', 'gemini-canonical/gemini-2.5-flash']) {
        upstream.on('POST', STREAM, { status: 200, headers: { 'content-type': 'text/event-stream' }, body: `${first}\r\n\r\ndata: ${error}\r\n\r\n` });
        const stream = await genai.models.generateContentStream({ model, contents: 'x' });
        let text = '';
        const failure = await statusOf((async () => {
          for await (const chunk of stream) text += chunk.text ?? '';
        })());
        expect(text).toBe('The');
        expect(failure.status).toBe(503);
      }
    });

    it('a client that goes away mid-stream releases the upstream stream (passthrough and canonical)', async () => {
      for (const model of ['gemini', 'gemini-canonical']) {
        upstream.reset();
        upstream.on('POST', STREAM, fixtureReply('gemini/stream-thinking.sse', { chunkSize: 300, chunkDelayMs: 40 }));
        const controller = new AbortController();
        const response = await fetch(`${gateway.url}/genai/v1beta/models/${model}%2Fgemini-2.5-flash:streamGenerateContent?alt=sse`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'How do I cross the street?' }] }] }),
          signal: controller.signal,
        });
        const reader = response.body!.getReader();
        await reader.read();
        controller.abort();
        await vi.waitFor(() => expect(upstream.abortedResponses).toBe(1), { timeout: 5000 });
      }
    });

    it('an unknown GenAI method answers in the Gemini error shape', async () => {
      const response = await fetch(`${gateway.url}/genai/v1beta/models/gemini-2.5-flash:predictLongRunning`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    });
  });

  describe('openai SDK → Gemini provider (OpenAI surface, canonical path)', () => {
    it('chat completion: text, usage with reasoning tokens, finish reason', async () => {
      upstream.on('POST', GENERATE, fixtureReply('gemini/text.json'));
      const { data: completion, response } = await openai.chat.completions.create({
        model: 'gemini/gemini-2.5-flash',
        messages: [
          { role: 'system', content: 'You are a chatbot.' },
          { role: 'user', content: 'Hello!' },
        ],
        reasoning_effort: 'low',
        max_completion_tokens: 500,
      }).withResponse();
      // 9 input tokens at $0.30/M + 43 output tokens (9 text + 34 thoughts) at $2.50/M.
      expect(response.headers.get('x-switchyard-cost-usd')).toBe((9 * 0.3e-6 + 43 * 2.5e-6).toFixed(8));
      expect(completion.choices[0]!.message.content).toBe('Hello! How can I help you today?');
      expect(completion.choices[0]!.finish_reason).toBe('stop');
      expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 43, total_tokens: 52, completion_tokens_details: { reasoning_tokens: 34 } });
      expect(last().json).toEqual({
        systemInstruction: { parts: [{ text: 'You are a chatbot.' }] },
        contents: [{ role: 'user', parts: [{ text: 'Hello!' }] }],
        generationConfig: { maxOutputTokens: 500, thinkingConfig: { thinkingBudget: 1024 } },
      });
    });

    it('streaming with usage', async () => {
      upstream.on('POST', STREAM, fixtureReply('gemini/stream-usage-mid-stream.sse', { chunkSize: 64, randomChunks: true }));
      const stream = await openai.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'Count to 30' }], stream: true, stream_options: { include_usage: true } });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      expect(text).toBe(Array.from({ length: 30 }, (_, index) => index + 1).join('\n'));
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 18, completion_tokens: 115, total_tokens: 133 });
    });

    it('tool calls: the thought signature rides in the id and comes back to Gemini on the next turn', async () => {
      upstream.on('POST', '/v1beta/models/gemini-3-pro-preview:generateContent', fixtureReply('gemini/tool-call-gemini3.json'));
      const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }];
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in San Francisco?' }];
      const first = await openai.chat.completions.create({ model: 'gemini/gemini-3-pro-preview', messages, tools, tool_choice: 'required' });
      const call = first.choices[0]!.message.tool_calls![0]!;
      expect(first.choices[0]!.finish_reason).toBe('tool_calls');
      expect(call.type === 'function' && [call.function.name, JSON.parse(call.function.arguments)]).toEqual(['weather', { location: 'San Francisco' }]);
      expect((last().json as Json).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });

      upstream.on('POST', '/v1beta/models/gemini-3-pro-preview:generateContent', fixtureReply('gemini/text.json'));
      await openai.chat.completions.create({
        model: 'gemini/gemini-3-pro-preview',
        messages: [...messages, first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 18}' }],
        tools,
      });
      const sent = last().json as { contents: Array<{ role: string; parts: Json[] }> };
      expect(sent.contents[1]).toEqual({
        role: 'model',
        parts: [{ functionCall: { name: 'weather', args: { location: 'San Francisco' } }, thoughtSignature: 'Eqo+Cqc+Ab4+9vtgONaaz6qwy6WXdp7gCd2w0X+Wz2gaBgY0Gv6A12JKo0y5vQwf9YQFyhMbKr1E9m17VT6HXd7jXzjaGYaE' }],
      });
      expect(sent.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temperature: 18 } } }] });
    });

    it('streamed parallel tool calls from Vertex-style partial args keep their order and arguments', async () => {
      upstream.on('POST', STREAM, fixtureReply('gemini/vertex-stream-function-call-partial-args.sse', { chunkSize: 50, randomChunks: true }));
      const stream = await openai.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'Weather in Boston and SF?' }], stream: true });
      const calls: Array<{ name: string; args: string }> = [];
      for await (const chunk of stream) {
        for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
          calls[delta.index] ??= { name: '', args: '' };
          calls[delta.index]!.name += delta.function?.name ?? '';
          calls[delta.index]!.args += delta.function?.arguments ?? '';
        }
      }
      expect(calls.map((call) => [call.name, JSON.parse(call.args)])).toEqual([
        ['getWeather', { location: 'Boston' }],
        ['getWeather', { location: 'San Francisco' }],
      ]);
    });

    it('embeddings', async () => {
      upstream.on('POST', '/v1beta/models/gemini-embedding-001:batchEmbedContents', { status: 200, body: JSON.stringify({ embeddings: [{ values: [0.5, 0.25] }, { values: [1, 0] }] }) });
      const result = await openai.embeddings.create({ model: 'gemini/gemini-embedding-001', input: ['a', 'b'], encoding_format: 'float' });
      expect(result.data.map((item) => item.embedding)).toEqual([[0.5, 0.25], [1, 0]]);
    });

    it('a parameter Gemini cannot honour is a warning header, or a 400 in strict mode', async () => {
      upstream.on('POST', GENERATE, fixtureReply('gemini/text.json'));
      const { response } = await openai.chat.completions
        .create({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello!' }], logit_bias: { '50256': -100 } })
        .withResponse();
      expect(response.headers.get('x-switchyard-warnings')).toBe('unsupported-parameter(logit_bias)');
      await expect(
        openai.chat.completions.create({ model: 'gemini/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hello!' }], logit_bias: { '50256': -100 } }, { headers: { 'x-switchyard-strict': 'true' } }),
      ).rejects.toMatchObject({ status: 400 });
    });
  });
});
