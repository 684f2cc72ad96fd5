import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { bedrockError, eventStreamReply, framesReply, startMockBedrock, type BedrockHandler } from '../helpers/mock-bedrock.js';
import { fixtureReply, type MockUpstream } from '../helpers/mock-upstream.js';

const KEY = { accessKeyId: 'AKIAUPSTREAMEXAMPLE', secretAccessKey: 'upstream/secret/EXAMPLEKEY', sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
const CLAUDE = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

async function chunks(stream: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

const deltaText = (all: Chunk[], field: 'content' | 'reasoning_content'): string =>
  all.map((chunk) => ((chunk.choices[0]?.delta as Record<string, unknown> | undefined)?.[field] as string | undefined) ?? '').join('');

/** Text of a recorded transcript, from its decoded view. */
function recordedText(name: string): string {
  return readFixtureText(`bedrock-converse/${name}.events.jsonl`)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line).payload.delta?.text ?? '')
    .join('');
}

describe('OpenAI SDK → gateway → Bedrock (mock verifies SigV4 with a session token, speaks event-stream)', () => {
  let bedrock: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  let onBedrock: BedrockHandler;

  beforeAll(async () => {
    bedrock = await startMockBedrock({ [KEY.accessKeyId]: { secretAccessKey: KEY.secretAccessKey, sessionToken: KEY.sessionToken } }, (call) => onBedrock(call), 'us-east-1');
    gateway = await startTestGateway({ providers: { bedrock: { baseUrl: bedrock.url, region: 'us-east-1', keys: [KEY] } } });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'anything', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await bedrock.stop();
  });
  beforeEach(() => bedrock.reset());

  it('text, with the Bedrock id as a bare model name', async () => {
    onBedrock = () => fixtureReply('bedrock-converse/converse-text.json');
    const completion = await client.chat.completions.create({
      model: 'us.amazon.nova-micro-v1:0',
      messages: [
        { role: 'system', content: 'You are a chatbot.' },
        { role: 'user', content: 'Hello!' },
      ],
    });
    expect(completion.choices[0]?.message.content).toMatch(/^Hello! How can I assist you today/);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 30, total_tokens: 37 });
    expect(bedrock.requests[0]!.headers['x-amz-security-token']).toBe(KEY.sessionToken);
  });

  it('cached prompt tokens and the max_tokens stop', async () => {
    onBedrock = () => fixtureReply('bedrock-converse/converse-cache-read.json');
    const cached = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'How many?' }] });
    expect(cached.usage).toMatchObject({ prompt_tokens: 1324, completion_tokens: 5, total_tokens: 1329, prompt_tokens_details: { cached_tokens: 1322 } });
    onBedrock = () => fixtureReply('bedrock-converse/converse-max-tokens.json');
    const cut = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'The capital of France?' }], max_tokens: 5 });
    expect(cut.choices[0]?.finish_reason).toBe('length');
    expect(bedrock.requests[1]!.json).toMatchObject({ inferenceConfig: { maxTokens: 5 } });
  });

  it('reasoning_effort becomes a thinking budget; thinking blocks come back and go out again', async () => {
    onBedrock = () => fixtureReply('bedrock-converse/converse-reasoning.json');
    const completion = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'How many r in strawberry?' }], reasoning_effort: 'low' });
    expect(bedrock.requests[0]!.json).toMatchObject({ additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } } });
    const message = completion.choices[0]!.message as OpenAI.Chat.Completions.ChatCompletionMessage & { reasoning_content?: string; thinking_blocks?: Array<Record<string, string>> };
    expect(message.reasoning_content).toMatch(/^Let me count the r's/);
    const recorded = readFixtureJson<{ output: { message: { content: Array<{ reasoningContent?: { reasoningText: { signature: string } } }> } } }>('bedrock-converse/converse-reasoning.json');
    const signature = recorded.output.message.content[0]!.reasoningContent!.reasoningText.signature;
    expect(message.thinking_blocks).toEqual([{ type: 'thinking', thinking: message.reasoning_content, signature }]);
    onBedrock = () => fixtureReply('bedrock-converse/converse-text.json');
    await client.chat.completions.create({
      model: CLAUDE,
      messages: [{ role: 'user', content: 'How many r in strawberry?' }, message as OpenAI.Chat.Completions.ChatCompletionAssistantMessageParam, { role: 'user', content: 'Sure?' }],
    });
    const sent = bedrock.requests[1]!.json as { messages: Array<{ content: unknown[] }> };
    expect(sent.messages[1]!.content[0]).toEqual({ reasoningContent: { reasoningText: { text: message.reasoning_content, signature } } });
  });

  it('tool calls and tool results', async () => {
    onBedrock = () => fixtureReply('bedrock-converse/converse-thinking-tool-use.json');
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_user_country', parameters: { type: 'object', properties: {} } } }];
    const completion = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Largest city in my country?' }], tools, tool_choice: 'required' });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([{ id: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg', type: 'function', function: { name: 'get_user_country', arguments: '{}' } }]);
    expect(bedrock.requests[0]!.json).toMatchObject({ toolConfig: { toolChoice: { any: {} } } });
  });

  it('streams every recorded ConverseStream transcript, cut at random offsets', async () => {
    for (const name of ['converse-stream-text', 'converse-stream-cache-write', 'converse-stream-redacted-thinking']) {
      onBedrock = () => eventStreamReply(`bedrock-converse/${name}.eventstream`, 29);
      const all = await chunks(await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }));
      expect(deltaText(all, 'content')).toBe(recordedText(name));
      expect(all.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
      expect(all.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    }
  });

  it('streams a tool call as tool_calls deltas', async () => {
    onBedrock = () => eventStreamReply('bedrock-converse/converse-stream-tool-use.eventstream', 5);
    const all = await chunks(await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Temperature in the capital of France?' }], stream: true }));
    const calls = all.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA', type: 'function', function: { name: 'get_temperature' } });
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"city":"Paris"}');
    expect(all.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('streams reasoning as reasoning_content deltas', async () => {
    onBedrock = () => eventStreamReply('bedrock-converse/converse-stream-thinking.eventstream');
    const all = await chunks(await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Hello' }], stream: true, reasoning_effort: 'minimal' }));
    const expected = readFixtureText('bedrock-converse/converse-stream-thinking.events.jsonl')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line).payload.delta?.reasoningContent?.text ?? '')
      .join('');
    expect(deltaText(all, 'reasoning_content')).toBe(expected);
    expect(deltaText(all, 'content')).toBe(recordedText('converse-stream-thinking'));
  });

  it('parallel streamed tool calls', async () => {
    onBedrock = () =>
      framesReply([
        ['messageStart', { role: 'assistant' }],
        ['contentBlockStart', { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_a', name: 'get_temperature' } } }],
        ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '{"city":' } } }],
        ['contentBlockDelta', { contentBlockIndex: 0, delta: { toolUse: { input: '"Paris"}' } } }],
        ['contentBlockStop', { contentBlockIndex: 0 }],
        ['contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_b', name: 'get_temperature' } } }],
        ['contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":"Rome"}' } } }],
        ['contentBlockStop', { contentBlockIndex: 1 }],
        ['messageStop', { stopReason: 'tool_use' }],
        ['metadata', { usage: { inputTokens: 20, outputTokens: 30, totalTokens: 50 }, metrics: { latencyMs: 100 } }],
      ]);
    const all = await chunks(await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'Paris and Rome?' }], stream: true }));
    const calls = all.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    const byIndex = new Map<number, string>();
    for (const call of calls) byIndex.set(call.index, (byIndex.get(call.index) ?? '') + (call.function?.arguments ?? ''));
    expect([...byIndex.entries()]).toEqual([
      [0, '{"city":"Paris"}'],
      [1, '{"city":"Rome"}'],
    ]);
  });

  it('errors: throttling (429, retryable), expired token (401), bad signature, and a mid-stream exception', async () => {
    onBedrock = () => bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'retry-after': '2' });
    const throttled = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(OpenAI.RateLimitError);
    expect((throttled as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('2');
    expect((throttled as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-error-code')).toBe('upstream_rate_limited');

    onBedrock = () => ({ status: 403, headers: { 'x-amzn-errortype': 'ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/' }, body: readFixtureText('bedrock-converse/error-403-expired-token.json') });
    const expired = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(expired).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((expired as Error).message).toMatch(/security token included in the request is expired/);

    onBedrock = () => framesReply([['messageStart', { role: 'assistant' }], ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hel' } }]], ['modelStreamErrorException', 'The model stream failed.']);
    const stream = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }], stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      try {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(seen.join('')).toBe('Hel');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toMatch(/The model stream failed/);
  });

  it('embeddings: Titan and Cohere through InvokeModel', async () => {
    onBedrock = (call) =>
      call.modelId.startsWith('amazon.titan')
        ? { status: 200, body: JSON.stringify({ embedding: [0.25, -0.5, 0.125], inputTextTokenCount: 4 }) }
        : { status: 200, body: JSON.stringify({ id: 'emb-1', response_type: 'embeddings_floats', texts: ['a', 'b'], embeddings: [[1, 0], [0, 1]] }) };
    const titan = await client.embeddings.create({ model: 'bedrock/amazon.titan-embed-text-v2:0', input: 'hello world', dimensions: 256 });
    expect(titan.data[0]?.embedding).toEqual([0.25, -0.5, 0.125]);
    expect(titan.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(bedrock.requests[0]).toMatchObject({ path: '/model/amazon.titan-embed-text-v2%3A0/invoke', json: { inputText: 'hello world', dimensions: 256 } });
    const cohere = await client.embeddings.create({ model: 'bedrock/cohere.embed-english-v3', input: ['a', 'b'], encoding_format: 'float' });
    expect(cohere.data.map((item) => item.embedding)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(bedrock.requests[1]!.json).toEqual({ texts: ['a', 'b'], input_type: 'search_document' });
  });

  it('a Bedrock stream that dies half-way ends the client stream with an error, never silently', async () => {
    for (const cut of [{ dieAfterBytes: 1500 }, { dieAfterBytes: 1501 }]) {
      onBedrock = () => ({ ...eventStreamReply('bedrock-converse/converse-stream-text.eventstream', 100), ...cut });
      const stream = await client.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }], stream: true });
      let text = '';
      const failure = await (async () => {
        try {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(text.length).toBeGreaterThan(0);
      expect(failure).toBeInstanceOf(OpenAI.APIError);
    }
  });

  it('a gateway key with the wrong secret is refused by the SigV4-verifying mock', async () => {
    const wrong = await startTestGateway({ providers: { bedrock: { baseUrl: bedrock.url, region: 'us-east-1', keys: [{ ...KEY, secretAccessKey: 'not-the-secret' }] } } });
    try {
      const other = new OpenAI({ baseURL: `${wrong.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const failure = await other.chat.completions.create({ model: CLAUDE, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(OpenAI.AuthenticationError);
      expect((failure as Error).message).toMatch(/signature we calculated does not match.*signature mismatch/);
    } finally {
      await wrong.close();
    }
  });
});
