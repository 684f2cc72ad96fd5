import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, streamText, tool, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startMatrixGateway, type MatrixGateway } from '../matrix/matrix-gateway.js';
import { providerRow } from '../matrix/provider-table.js';

/*
 * The Vercel AI SDK (`ai` v6) as a real client, with @ai-sdk/openai and @ai-sdk/anthropic, each
 * against a mock OpenAI upstream and a mock Anthropic upstream replaying recordings (the
 * matrix's provider rows): generateText and streamText, plain and with a tool the SDK runs
 * itself (two steps: the tool call, then the answer after the tool result).
 *
 * @ai-sdk/openai v3: `openai(model)` is the Responses API (POST {baseURL}/responses), served at
 * /v1/responses and under the framework mounts (/litellm/v1/responses, /langchain/v1/responses);
 * `openai.chat(model)` is chat completions ({baseURL}/chat/completions). Both are used here.
 * @ai-sdk/anthropic appends /messages to its baseURL (default https://api.anthropic.com/v1), so
 * its baseURL is {gateway}/anthropic/v1.
 */

const UPSTREAMS = [providerRow('openai'), providerRow('anthropic')];
const TOOL_OUTPUT = '15 degrees and sunny';
const PROMPT = 'What is the weather in San Francisco?';

interface VercelClient {
  name: string;
  /** The gateway path the client calls. */
  path: string;
  model(gatewayUrl: string, model: string): LanguageModel;
}

const CLIENTS: VercelClient[] = [
  { name: '@ai-sdk/openai .chat() via /v1', path: '/v1/chat/completions', model: (url, model) => createOpenAI({ baseURL: `${url}/v1`, apiKey: 'vercel-client' }).chat(model) },
  // The default model of @ai-sdk/openai v3 speaks the Responses API.
  { name: '@ai-sdk/openai default (Responses API) via /litellm/v1', path: '/litellm/v1/responses', model: (url, model) => createOpenAI({ baseURL: `${url}/litellm/v1`, apiKey: 'vercel-client' })(model) },
  { name: '@ai-sdk/anthropic via /anthropic/v1', path: '/anthropic/v1/messages', model: (url, model) => createAnthropic({ baseURL: `${url}/anthropic/v1`, apiKey: 'vercel-client' })(model) },
];

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(UPSTREAMS);
});
afterAll(async () => {
  await gateway?.close();
});

for (const client of CLIENTS) {
  describe(client.name, () => {
    for (const upstream of UPSTREAMS) {
      describe(`→ ${upstream.id} upstream (${upstream.dialect})`, () => {
        const model = () => client.model(gateway.url, `${upstream.id}/${upstream.model}`);
        const mock = () => gateway.mocks.get(upstream.id)!;
        const tools = () => ({
          [upstream.upstream.recordedTurn(upstream.fixtures.toolCall!).toolCalls[0]!.name]: tool({
            description: 'Get the current weather for a location',
            inputSchema: z.looseObject({ location: z.string().optional() }),
            execute: async () => TOOL_OUTPUT,
          }),
        });

        it('generateText', async () => {
          const since = gateway.records.length;
          const result = await generateText({ model: model(), prompt: PROMPT, maxRetries: 0 });
          expect(result.text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.text).text);
          expect((await gateway.recordsSince(since, 1)).map((record) => record.path)).toEqual([client.path]);
          expect(result.finishReason).toBe('stop');
          expect(result.usage.outputTokens).toBeGreaterThan(0);
        });

        it('streamText', async () => {
          const result = streamText({ model: model(), prompt: PROMPT, maxRetries: 0 });
          let deltas = 0;
          for await (const _delta of result.textStream) deltas++;
          expect(deltas).toBeGreaterThan(1);
          expect(await result.text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.stream).text);
          expect(await result.finishReason).toBe('stop');
        });

        it('generateText with a tool: call, execute, answer', async () => {
          const before = mock().requests.length;
          const recorded = upstream.upstream.recordedTurn(upstream.fixtures.toolCall!).toolCalls[0]!;
          const result = await generateText({ model: model(), prompt: PROMPT, tools: tools(), stopWhen: stepCountIs(2), maxRetries: 0 });
          expect(result.steps).toHaveLength(2);
          expect(result.steps[0]!.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, input: call.input }))).toEqual([recorded]);
          expect(result.steps[0]!.finishReason).toBe('tool-calls');
          expect(result.text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.followUp).text);
          const sent = mock().requests.slice(before);
          expect(sent).toHaveLength(2);
          expect(upstream.upstream.readTurn(sent[1]!)).toMatchObject({ toolResults: [{ id: recorded.id, content: TOOL_OUTPUT }], assistantToolCalls: [recorded] });
        });

        it('streamText with a tool: streamed call, execute, streamed answer', async () => {
          const recorded = upstream.upstream.recordedTurn(upstream.fixtures.streamToolCall!).toolCalls[0]!;
          const result = streamText({ model: model(), prompt: PROMPT, tools: tools(), stopWhen: stepCountIs(2), maxRetries: 0 });
          const parts: string[] = [];
          for await (const part of result.fullStream) parts.push(part.type);
          expect(parts).toEqual(expect.arrayContaining(['tool-input-start', 'tool-input-delta', 'tool-call', 'tool-result', 'text-delta', 'finish']));
          const steps = await result.steps;
          expect(steps).toHaveLength(2);
          expect(steps[0]!.toolCalls.map((call) => ({ id: call.toolCallId, name: call.toolName, input: call.input }))).toEqual([recorded]);
          expect(await result.text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.streamFollowUp).text);
          expect(upstream.upstream.readTurn(mock().requests.at(-1)!).toolResults).toEqual([{ id: recorded.id, content: TOOL_OUTPUT }]);
        });
      });
    }
  });
}
