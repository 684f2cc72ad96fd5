import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ModelStreamErrorException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { bedrockError, eventStreamReply, framesReply, startMockBedrock, type BedrockHandler } from '../helpers/mock-bedrock.js';
import { fixtureReply, MockUpstream, type MockReply } from '../helpers/mock-upstream.js';

const UPSTREAM_KEY = { accessKeyId: 'AKIAUPSTREAMEXAMPLE', secretAccessKey: 'upstream/secret/EXAMPLEKEY' };
// Two providers serve Bedrock ids here (bedrock, and bedrock-claude with api: invoke), so ids name their provider.
const NOVA = 'bedrock/us.amazon.nova-micro-v1:0';
const CLAUDE = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';

/** An Anthropic stream event as decoded from a chunk's bytes. */
interface AnthropicEvent {
  type: string;
  delta?: { text?: string; stop_reason?: string };
  [field: string]: unknown;
}

async function collect(stream: AsyncIterable<ConverseStreamOutput> | undefined): Promise<ConverseStreamOutput[]> {
  const events: ConverseStreamOutput[] = [];
  for await (const event of stream ?? []) events.push(event);
  return events;
}

describe('AWS SDK (BedrockRuntimeClient, default HTTP/2 handler) against the gateway', () => {
  let bedrock: MockUpstream;
  let openai: MockUpstream;
  let gateway: TestGateway;
  let client: BedrockRuntimeClient;
  let onBedrock: BedrockHandler;
  let onOpenAi: (stream: boolean) => MockReply;

  beforeAll(async () => {
    bedrock = await startMockBedrock({ [UPSTREAM_KEY.accessKeyId]: { secretAccessKey: UPSTREAM_KEY.secretAccessKey } }, (call) => onBedrock(call), 'eu-west-3');
    openai = await new MockUpstream().start();
    openai.on('POST', '/v1/chat/completions', (request) => onOpenAi((request.json as { stream?: boolean }).stream === true));
    gateway = await startTestGateway({
      providers: {
        bedrock: { baseUrl: bedrock.url, region: 'eu-west-3', keys: [{ name: 'aws', ...UPSTREAM_KEY }] },
        'bedrock-claude': { type: 'bedrock', baseUrl: bedrock.url, region: 'eu-west-3', api: 'invoke', keys: [{ name: 'aws', ...UPSTREAM_KEY }] },
        openai: { baseUrl: `${openai.url}/v1`, keys: [{ value: 'sk-test' }] },
      },
    });
    client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: `${gateway.url}/bedrock`,
      credentials: { accessKeyId: 'AKIACLIENTEXAMPLE', secretAccessKey: 'client-secret-never-checked' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await gateway.close();
    await bedrock.stop();
    await openai.stop();
  });
  beforeEach(() => {
    bedrock.reset();
    openai.reset();
  });

  describe('ConverseCommand', () => {
    it('reaches Bedrock re-signed with the gateway key (the mock verifies SigV4)', async () => {
      onBedrock = () => fixtureReply('bedrock-converse/converse-text.json');
      const answer = await client.send(
        new ConverseCommand({
          modelId: NOVA,
          system: [{ text: 'You are a chatbot.' }],
          messages: [{ role: 'user', content: [{ text: 'Hello!' }] }],
        }),
      );
      const recorded = readFixtureJson<{ output: { message: { content: Array<{ text: string }> } } }>('bedrock-converse/converse-text.json');
      expect(answer.output?.message?.content?.[0]?.text).toBe(recorded.output.message.content[0]!.text);
      expect(answer.stopReason).toBe('end_turn');
      expect(answer.usage).toEqual({ inputTokens: 7, outputTokens: 30, totalTokens: 37 });
      expect(answer.metrics?.latencyMs).toBe(268);
      const upstream = bedrock.requests[0]!;
      expect(upstream.path).toBe('/model/us.amazon.nova-micro-v1%3A0/converse');
      expect(answer.$metadata.httpStatusCode).toBe(200);
      expect(upstream.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAUPSTREAMEXAMPLE\/\d{8}\/eu-west-3\/bedrock\/aws4_request/);
      // The recorded request, less the empty inferenceConfig the recorder's client added.
      const { inferenceConfig: _empty, ...recordedRequest } = readFixtureJson<Record<string, unknown>>('bedrock-converse/converse-text.request.json');
      expect(upstream.json).toEqual(recordedRequest);
    });

    it('thinking and a tool call round-trip through Bedrock', async () => {
      onBedrock = () => fixtureReply('bedrock-converse/converse-thinking-tool-use.json');
      const answer = await client.send(
        new ConverseCommand({
          modelId: CLAUDE,
          messages: [{ role: 'user', content: [{ text: 'What is the largest city in the user country?' }] }],
          toolConfig: { tools: [{ toolSpec: { name: 'get_user_country', inputSchema: { json: { type: 'object', properties: {}, additionalProperties: false } } } }] },
          additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
        }),
      );
      expect(answer.stopReason).toBe('tool_use');
      const content = answer.output?.message?.content ?? [];
      expect(content[0]?.reasoningContent?.reasoningText?.signature).toMatch(/^ErcBCkgIBhABGAIiQDYN/);
      expect(content[2]?.toolUse).toEqual({ toolUseId: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg', name: 'get_user_country', input: {} });
      const { system: _system, inferenceConfig: _inference, ...expected } = readFixtureJson<Record<string, unknown>>('bedrock-converse/converse-thinking-tool-use.request.json');
      expect(bedrock.requests[0]!.json).toEqual(expected);

      // Second turn: the reasoning block (with its signature) and the tool result go back.
      onBedrock = () => fixtureReply('bedrock-converse/converse-text.json');
      await client.send(
        new ConverseCommand({
          modelId: CLAUDE,
          messages: [
            { role: 'user', content: [{ text: 'What is the largest city in the user country?' }] },
            { role: 'assistant', content },
            { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg', content: [{ text: 'Mexico' }] } }] },
          ],
          toolConfig: { tools: [{ toolSpec: { name: 'get_user_country', inputSchema: { json: { type: 'object', properties: {} } } } }] },
          additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } },
        }),
      );
      const second = bedrock.requests[1]!.json as { messages: Array<{ content: unknown[] }> };
      expect(second.messages[1]!.content).toEqual(readFixtureJson<{ output: { message: { content: unknown[] } } }>('bedrock-converse/converse-thinking-tool-use.json').output.message.content);
    });

    it('an OpenAI model answers in Converse shape', async () => {
      onOpenAi = () => fixtureReply('openai-chat/tool-call.json');
      const answer = await client.send(
        new ConverseCommand({
          modelId: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
          toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { location: { type: 'string' } } } } } }] },
          inferenceConfig: { maxTokens: 100, temperature: 0.3 },
        }),
      );
      const recorded = readFixtureJson<{ choices: Array<{ message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> } }>; usage: { prompt_tokens: number; completion_tokens: number } }>('openai-chat/tool-call.json');
      const call = recorded.choices[0]!.message.tool_calls[0]!;
      expect(answer.stopReason).toBe('tool_use');
      expect(answer.output?.message?.content?.find((block) => block.toolUse)?.toolUse).toEqual({ toolUseId: call.id, name: call.function.name, input: JSON.parse(call.function.arguments) });
      expect(answer.usage?.inputTokens).toBe(recorded.usage.prompt_tokens);
      expect(answer.usage?.outputTokens).toBe(recorded.usage.completion_tokens);
      expect(openai.requests[0]!.json).toMatchObject({
        model: 'gpt-4o-mini',
        max_completion_tokens: 100,
        temperature: 0.3,
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
      });
      expect(openai.requests[0]!.headers.authorization).toBe('Bearer sk-test');
    });
  });

  describe('ConverseStreamCommand', () => {
    it('streams a recorded Bedrock tool-use transcript (event-stream framing both ways)', async () => {
      onBedrock = () => eventStreamReply('bedrock-converse/converse-stream-tool-use.eventstream');
      const answer = await client.send(new ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'What is the temperature of the capital of France?' }] }] }));
      const events = await collect(answer.stream);
      expect(events[0]).toEqual({ messageStart: { role: 'assistant' } });
      const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
      expect(text).toMatch(/^<thinking> To find the temperature/);
      expect(events.find((event) => event.contentBlockStart)?.contentBlockStart).toEqual({
        contentBlockIndex: 1,
        start: { toolUse: { toolUseId: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA', name: 'get_temperature' } },
      });
      expect(events.filter((event) => event.contentBlockDelta?.delta?.toolUse).map((event) => event.contentBlockDelta!.delta!.toolUse!.input).join('')).toBe('{"city":"Paris"}');
      expect(events.at(-2)).toEqual({ messageStop: { stopReason: 'tool_use' } });
      expect(events.at(-1)?.metadata).toEqual({ usage: { inputTokens: 471, outputTokens: 91, totalTokens: 562 }, metrics: { latencyMs: 422 } });
      expect(bedrock.requests[0]!.path).toBe('/model/us.amazon.nova-micro-v1%3A0/converse-stream');
    });

    it('streams reasoning with its signature', async () => {
      onBedrock = () => eventStreamReply('bedrock-converse/converse-stream-thinking.eventstream', 11);
      const answer = await client.send(
        new ConverseStreamCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'Hello' }] }], additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } } }),
      );
      const events = await collect(answer.stream);
      const reasoning = events.map((event) => event.contentBlockDelta?.delta?.reasoningContent?.text ?? '').join('');
      expect(reasoning.length).toBeGreaterThan(20);
      expect(events.some((event) => event.contentBlockDelta?.delta?.reasoningContent?.signature?.startsWith('Eu0CCkgIBxABGAIqQJDccbDQkr81n7Qj'))).toBe(true);
      expect(events.at(-1)?.metadata?.usage).toEqual({ inputTokens: 36, outputTokens: 73, totalTokens: 109 });
    });

    it('streams an OpenAI model as ConverseStream events, usage at the end', async () => {
      onOpenAi = () => fixtureReply('openai-chat/stream-tool-call-with-usage.sse', { chunkSize: 13, randomChunks: true });
      const answer = await client.send(
        new ConverseStreamCommand({
          modelId: 'openai/gpt-4o-mini',
          messages: [{ role: 'user', content: [{ text: 'Weather?' }] }],
          toolConfig: { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object' } } } }] },
        }),
      );
      const events = await collect(answer.stream);
      const start = events.find((event) => event.contentBlockStart)?.contentBlockStart;
      expect(start?.start?.toolUse?.name).toBeTypeOf('string');
      const input = events.filter((event) => event.contentBlockDelta?.delta?.toolUse).map((event) => event.contentBlockDelta!.delta!.toolUse!.input).join('');
      expect(JSON.parse(input)).toBeTypeOf('object');
      expect(events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('tool_use');
      const usage = events.at(-1)?.metadata?.usage;
      expect(usage?.inputTokens).toBeGreaterThan(0);
      expect(usage?.outputTokens).toBeGreaterThan(0);
      expect(openai.requests[0]!.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    });

    it('an exception frame from Bedrock mid-stream is raised by the SDK as ThrottlingException', async () => {
      onBedrock = () =>
        framesReply(
          [
            ['messageStart', { role: 'assistant' }],
            ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello' } }],
          ],
          ['throttlingException', 'Too many tokens, please wait before trying again.'],
        );
      const answer = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
      const seen: ConverseStreamOutput[] = [];
      const failure = await (async () => {
        try {
          for await (const event of answer.stream ?? []) seen.push(event);
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(seen.map((event) => event.contentBlockDelta?.delta?.text).filter(Boolean)).toEqual(['Hello']);
      expect(failure).toBeInstanceOf(ThrottlingException);
      expect((failure as Error).message).toBe('Too many tokens, please wait before trying again.');
    });
  });

  describe('InvokeModel / InvokeModelWithResponseStream (Anthropic Messages bodies)', () => {
    const INVOKE_MODEL = 'bedrock-claude/anthropic.claude-3-sonnet-20240229-v1:0';
    const invokeBody = () => new TextEncoder().encode(JSON.stringify(readFixtureJson('bedrock-invoke/invoke-stream-anthropic-messages.request.json')));

    async function chunkEvents(body: AsyncIterable<{ chunk?: { bytes?: Uint8Array } }> | undefined): Promise<AnthropicEvent[]> {
      const events: AnthropicEvent[] = [];
      for await (const part of body ?? []) if (part.chunk?.bytes) events.push(JSON.parse(new TextDecoder().decode(part.chunk.bytes)));
      return events;
    }

    it('streams a recorded Claude-on-Bedrock transcript through InvokeModel (Anthropic dialect behind SigV4)', async () => {
      onBedrock = () => eventStreamReply('bedrock-invoke/invoke-stream-anthropic-messages.eventstream', 23);
      const answer = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: INVOKE_MODEL, body: invokeBody(), contentType: 'application/json' }));
      const events = await chunkEvents(answer.body);
      expect(events.map((event) => event.type)).toEqual([
        'message_start',
        'content_block_start',
        ...events.filter((event) => event.type === 'content_block_delta' || event.type === 'ping').map((event) => event.type),
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const recorded = readFixtureText('bedrock-invoke/invoke-stream-anthropic-messages.events.jsonl')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line).bytes_decoded);
      const text = (list: AnthropicEvent[]) => list.map((event) => (event.type === 'content_block_delta' ? (event.delta?.text ?? '') : '')).join('');
      expect(text(events)).toBe(text(recorded));
      expect(events[0]).toMatchObject({ message: { id: 'msg_013MVoqeRpeko9EhHVcBdJvk', model: 'claude-3-sonnet-28k-20240229' } });
      expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 22 } });
      expect(events.at(-1)).toMatchObject({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: 21, outputTokenCount: 22 } });
      const upstream = bedrock.requests[0]!;
      expect(upstream.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke-with-response-stream');
      expect(upstream.json).toMatchObject({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, temperature: 0 });
      expect(upstream.json).not.toHaveProperty('model');
    });

    it('InvokeModel (not streamed) answers an Anthropic message', async () => {
      onBedrock = () => fixtureReply('bedrock-invoke/invoke-anthropic-messages.json');
      const answer = await client.send(new InvokeModelCommand({ modelId: INVOKE_MODEL, body: invokeBody(), contentType: 'application/json', accept: 'application/json' }));
      const message = JSON.parse(new TextDecoder().decode(answer.body));
      expect(message).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hobbits embark on epic quest to destroy powerful ring, battling dark forces.' }], stop_reason: 'end_turn', usage: { input_tokens: 21, output_tokens: 22 } });
      expect(bedrock.requests[0]!.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke');
    });

    it('an OpenAI model behind InvokeModelWithResponseStream, in Anthropic events', async () => {
      onOpenAi = () => fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 17, randomChunks: true });
      const answer = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'openai/gpt-4o-mini', body: invokeBody(), contentType: 'application/json' }));
      const events = await chunkEvents(answer.body);
      expect(events[0]?.type).toBe('message_start');
      const text = events.map((event) => (event.type === 'content_block_delta' ? (event.delta?.text ?? '') : '')).join('');
      expect(text.length).toBeGreaterThan(0);
      expect(events.at(-1)?.type).toBe('message_stop');
      expect(openai.requests[0]!.json).toMatchObject({ model: 'gpt-4o-mini', max_completion_tokens: 50, temperature: 0, stream: true });
    });

    it('Converse to a Claude model of an invoke provider goes upstream as InvokeModel', async () => {
      onBedrock = () => fixtureReply('bedrock-invoke/invoke-anthropic-messages.json');
      const answer = await client.send(new ConverseCommand({ modelId: INVOKE_MODEL, messages: [{ role: 'user', content: [{ text: 'summarize the plot' }] }], inferenceConfig: { maxTokens: 50 } }));
      expect(answer.output?.message?.content?.[0]?.text).toBe('Hobbits embark on epic quest to destroy powerful ring, battling dark forces.');
      expect(answer.usage).toEqual({ inputTokens: 21, outputTokens: 22, totalTokens: 43 });
      expect(bedrock.requests[0]!.path).toBe('/model/anthropic.claude-3-sonnet-20240229-v1%3A0/invoke');
    });

    it('an exception mid-stream reaches the SDK as its exception class; non-Anthropic bodies are refused', async () => {
      const chunk = (event: unknown): [string, unknown] => ['chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') }];
      const start = chunk({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude', usage: { input_tokens: 3, output_tokens: 1 } } });
      onBedrock = () =>
        framesReply(
          [start, chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }), chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hob' } })],
          ['modelStreamErrorException', 'The model stream failed.'],
        );
      const answer = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: INVOKE_MODEL, body: invokeBody(), contentType: 'application/json' }));
      const seen: AnthropicEvent[] = [];
      const failure = await (async () => {
        try {
          for await (const part of answer.body ?? []) if (part.chunk?.bytes) seen.push(JSON.parse(new TextDecoder().decode(part.chunk.bytes)));
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(seen.find((event) => event.type === 'content_block_delta')).toMatchObject({ delta: { text: 'Hob' } });
      expect(failure).toBeInstanceOf(ModelStreamErrorException);
      // Before the first byte the failure is still an HTTP error (and another target could have been tried).
      onBedrock = () => framesReply([start], ['modelStreamErrorException', 'The model stream failed.']);
      const early = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: INVOKE_MODEL, body: invokeBody(), contentType: 'application/json' })).catch((error: unknown) => error);
      expect(early).toBeInstanceOf(ModelStreamErrorException);
      expect((early as ModelStreamErrorException).$metadata.httpStatusCode).toBe(424);
      const titan = await client
        .send(new InvokeModelCommand({ modelId: 'amazon.titan-text-express-v1', body: new TextEncoder().encode(JSON.stringify({ inputText: 'hi' })) }))
        .catch((error: unknown) => error);
      expect(titan).toBeInstanceOf(ValidationException);
      expect((titan as Error).message).toMatch(/use \/converse/);
    });
  });

  describe('errors become the SDK exception classes', () => {
    it('ThrottlingException from Bedrock', async () => {
      onBedrock = () => bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
      const failure = await client.send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ThrottlingException);
      expect((failure as ThrottlingException).$metadata.httpStatusCode).toBe(429);
      expect((failure as Error).message).toBe('Too many requests, please wait before trying again.');
    });

    it('AccessDeniedException from Bedrock', async () => {
      onBedrock = () => bedrockError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.");
      const failure = await client.send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AccessDeniedException);
    });

    it('ValidationException for an OpenAI 400 and for a malformed Converse body', async () => {
      onOpenAi = () => ({ ...fixtureReply('openai-chat/error-400-unsupported-value.json'), status: 400 });
      const upstream = await client.send(new ConverseCommand({ modelId: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((error: unknown) => error);
      expect(upstream).toBeInstanceOf(ValidationException);
      expect((upstream as Error).message).toMatch(/does not support 'system'/);
      const local = await client.send(new ConverseCommand({ modelId: 'openai/gpt-4o-mini', messages: [{ role: 'system' as 'user', content: [{ text: 'hi' }] }] })).catch((error: unknown) => error);
      expect(local).toBeInstanceOf(ValidationException);
      expect(openai.requests).toHaveLength(1);
    });

    it('ServiceUnavailableException for an overloaded OpenAI upstream', async () => {
      onOpenAi = () => ({ status: 503, body: JSON.stringify({ error: { message: 'The server is overloaded', type: 'server_error' } }) });
      const failure = await client.send(new ConverseCommand({ modelId: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ServiceUnavailableException);
    });

    it('an unknown model is a ResourceNotFoundException', async () => {
      const failure = await client.send(new ConverseCommand({ modelId: 'nobody/nothing', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })).catch((error: unknown) => error);
      expect((failure as Error).name).toBe('ResourceNotFoundException');
    });
  });
});
