import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, type AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import { concat } from '@langchain/core/utils/stream';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readFixtureJson } from '../../helpers/fixtures.js';
import { fixtureReply } from '../../helpers/mock-upstream.js';
import { startMatrixGateway, type MatrixGateway } from '../matrix/matrix-gateway.js';
import { providerRow } from '../matrix/provider-table.js';

/*
 * LangChain's own chat models as real clients — @langchain/openai ChatOpenAI (the OpenAI SDK
 * underneath, chat completions, and the Responses API with `useResponsesApi: true`) and @langchain/anthropic ChatAnthropic (the Anthropic SDK
 * underneath) — each through the /langchain mount and through the plain surface, against a mock
 * OpenAI upstream and a mock Anthropic upstream replaying recordings (the matrix's provider
 * rows): invoke, stream, and bindTools with a tool-call round trip (the tool run by LangChain,
 * its ToolMessage sent back). Plus OpenAIEmbeddings through the mount.
 */

const UPSTREAMS = [providerRow('openai'), providerRow('anthropic')];
const TOOL_OUTPUT = '15 degrees and sunny';

interface LangChainClient {
  name: string;
  /** The gateway path the client calls. */
  path: string;
  create(gatewayUrl: string, model: string): BaseChatModel;
}

const CLIENTS: LangChainClient[] = [
  // The OpenAI SDK appends /chat/completions to its baseURL.
  { name: 'ChatOpenAI via /langchain/v1', path: '/langchain/v1/chat/completions', create: (url, model) => new ChatOpenAI({ model, apiKey: 'langchain-client', maxRetries: 0, configuration: { baseURL: `${url}/langchain/v1` } }) },
  { name: 'ChatOpenAI via /langchain', path: '/langchain/chat/completions', create: (url, model) => new ChatOpenAI({ model, apiKey: 'langchain-client', maxRetries: 0, configuration: { baseURL: `${url}/langchain` } }) },
  { name: 'ChatOpenAI via /v1', path: '/v1/chat/completions', create: (url, model) => new ChatOpenAI({ model, apiKey: 'langchain-client', maxRetries: 0, configuration: { baseURL: `${url}/v1` } }) },
  // The Responses API (POST {baseURL}/responses), served under the mount too.
  {
    name: 'ChatOpenAI useResponsesApi via /langchain/v1',
    path: '/langchain/v1/responses',
    create: (url, model) => new ChatOpenAI({ model, apiKey: 'langchain-client', maxRetries: 0, useResponsesApi: true, configuration: { baseURL: `${url}/langchain/v1` } }),
  },
  // The Anthropic SDK appends /v1/messages to its baseURL.
  { name: 'ChatAnthropic via /langchain', path: '/langchain/v1/messages', create: (url, model) => new ChatAnthropic({ model, apiKey: 'langchain-client', maxRetries: 0, anthropicApiUrl: `${url}/langchain` }) },
  { name: 'ChatAnthropic via /anthropic', path: '/anthropic/v1/messages', create: (url, model) => new ChatAnthropic({ model, apiKey: 'langchain-client', maxRetries: 0, anthropicApiUrl: `${url}/anthropic` }) },
];

let gateway: MatrixGateway;

beforeAll(async () => {
  gateway = await startMatrixGateway(UPSTREAMS);
  gateway.mocks.get('openai')!.on('POST', '/v1/embeddings', fixtureReply('openai-embeddings/embedding-base64.json'));
});
afterAll(async () => {
  await gateway?.close();
});

for (const client of CLIENTS) {
  describe(client.name, () => {
    for (const upstream of UPSTREAMS) {
      describe(`→ ${upstream.id} upstream (${upstream.dialect})`, () => {
        const model = () => client.create(gateway.url, `${upstream.id}/${upstream.model}`);
        const mock = () => gateway.mocks.get(upstream.id)!;
        const weather = tool(async () => TOOL_OUTPUT, {
          name: upstream.upstream.recordedTurn(upstream.fixtures.toolCall!).toolCalls[0]!.name,
          description: 'Get the current weather for a location',
          schema: z.looseObject({ location: z.string().optional() }),
        });

        it('invoke', async () => {
          const since = gateway.records.length;
          const answer = await model().invoke('What is the weather in San Francisco?');
          expect(answer.text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.text).text);
          expect((await gateway.recordsSince(since, 1)).map((record) => record.path)).toEqual([client.path]);
          expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);
        });

        it('stream', async () => {
          let text = '';
          let chunks = 0;
          for await (const chunk of await model().stream('What is the weather in San Francisco?')) {
            text += chunk.text;
            chunks++;
          }
          expect(chunks).toBeGreaterThan(1);
          expect(text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.stream).text);
        });

        it('bindTools: a tool call round trip (invoke)', async () => {
          const before = mock().requests.length;
          const recorded = upstream.upstream.recordedTurn(upstream.fixtures.toolCall!).toolCalls[0]!;
          const withTools = model().bindTools!([weather]);
          const messages: BaseMessage[] = [new HumanMessage('What is the weather in San Francisco?')];
          const ai = (await withTools.invoke(messages)) as AIMessage;
          expect(ai.tool_calls).toEqual([{ id: recorded.id, name: recorded.name, args: recorded.input, type: 'tool_call' }]);
          const toolMessage = await weather.invoke(ai.tool_calls![0]!);
          const final = await withTools.invoke([...messages, ai, toolMessage]);
          expect(final.text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.followUp).text);
          const sent = upstream.upstream.readTurn(mock().requests.at(-1)!);
          expect(mock().requests.length - before).toBe(2);
          expect(sent.toolResults).toEqual([{ id: recorded.id, content: TOOL_OUTPUT }]);
          expect(sent.assistantToolCalls).toEqual([recorded]);
        });

        it('bindTools: a streamed tool call, then the answer streamed', async () => {
          const recorded = upstream.upstream.recordedTurn(upstream.fixtures.streamToolCall!).toolCalls[0]!;
          const withTools = model().bindTools!([weather]);
          const messages: BaseMessage[] = [new HumanMessage('What is the weather in San Francisco?')];
          let ai: AIMessageChunk | undefined;
          for await (const chunk of await withTools.stream(messages)) ai = ai === undefined ? (chunk as AIMessageChunk) : concat(ai, chunk as AIMessageChunk);
          expect(ai!.tool_calls).toEqual([{ id: recorded.id, name: recorded.name, args: recorded.input, type: 'tool_call' }]);
          const toolMessage = await weather.invoke(ai!.tool_calls![0]!);
          let text = '';
          for await (const chunk of await withTools.stream([...messages, ai!, toolMessage])) text += chunk.text;
          expect(text).toBe(upstream.upstream.recordedTurn(upstream.fixtures.streamFollowUp).text);
          expect(upstream.upstream.readTurn(mock().requests.at(-1)!).toolResults).toEqual([{ id: recorded.id, content: TOOL_OUTPUT }]);
        });
      });
    }
  });
}

describe('OpenAIEmbeddings via /langchain/v1', () => {
  it('embedQuery and embedDocuments (the SDK asks for base64 and decodes it)', async () => {
    const embeddings = new OpenAIEmbeddings({ model: 'openai/text-embedding-3-small', apiKey: 'langchain-client', maxRetries: 0, configuration: { baseURL: `${gateway.url}/langchain/v1` } });
    const recorded = readFixtureJson<any>('openai-embeddings/embedding-base64.json');
    const bytes = Buffer.from(recorded.data[0].embedding, 'base64');
    const expected = [...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)];
    expect(await embeddings.embedQuery('hello world')).toEqual(expected);
    expect(await embeddings.embedDocuments(['hello world'])).toEqual([expected]);
    const sent = gateway.mocks.get('openai')!.requests.at(-1)!;
    expect(sent.path).toBe('/v1/embeddings');
    expect(sent.json).toMatchObject({ model: 'text-embedding-3-small', input: ['hello world'] });
  });
});
