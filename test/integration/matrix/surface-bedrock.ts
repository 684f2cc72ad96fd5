import {
  BedrockRuntimeClient,
  BedrockRuntimeServiceException,
  ConverseCommand,
  ConverseStreamCommand,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type ContentBlock,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type ConverseStreamOutput,
  type Message,
  type StopReason,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';
import { caught, parseArguments, QUESTION } from './surface-helpers.js';

/*
 * The Bedrock surface (/bedrock), with `@aws-sdk/client-bedrock-runtime` and its default
 * handler (HTTP/2, which the gateway takes in cleartext on its normal port): Converse and
 * ConverseStream, tool use with toolResult blocks sent back. The client signs with its own
 * access key (an identifier for the gateway, never forwarded).
 */

const CONVERSE_FINISH: Record<string, Finish> = { end_turn: 'stop', stop_sequence: 'stop', tool_use: 'tool-calls', max_tokens: 'length' };

/** One SDK client per gateway (each holds an HTTP/2 session), destroyed by `release`. */
const clients = new Map<string, BedrockRuntimeClient>();

function bedrockClient(gatewayUrl: string): BedrockRuntimeClient {
  let client = clients.get(gatewayUrl);
  if (client === undefined) {
    client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: `${gatewayUrl}/bedrock`,
      credentials: { accessKeyId: 'AKIAMATRIXCLIENT', secretAccessKey: 'client-secret-never-checked' },
      maxAttempts: 1,
    });
    clients.set(gatewayUrl, client);
  }
  return client;
}

function bedrockTurn(content: ContentBlock[], stopReason: StopReason | string | undefined, usage: TokenUsage | undefined): Turn {
  return {
    text: content.map((block) => block.text ?? '').join(''),
    finish: stopReason === undefined ? 'other:none' : (CONVERSE_FINISH[stopReason] ?? `other:${stopReason}`),
    toolCalls: content.flatMap((block): SeenToolCall[] => (block.toolUse ? [{ id: block.toolUse.toolUseId ?? '', name: block.toolUse.name ?? '', input: block.toolUse.input }] : [])),
    ...(usage?.inputTokens === undefined ? {} : { usage: { input: usage.inputTokens, output: usage.outputTokens ?? 0 } }),
  };
}

interface AssistantTurn {
  message: Message;
  turn: Turn;
}

function fromOutput(output: ConverseCommandOutput): AssistantTurn {
  const message = output.output?.message ?? { role: 'assistant', content: [] };
  return { message, turn: bedrockTurn(message.content ?? [], output.stopReason, output.usage) };
}

/** Rebuild the assistant message from a ConverseStream, as applications do for their history. */
async function fromStream(events: AsyncIterable<ConverseStreamOutput> | undefined): Promise<AssistantTurn> {
  const blocks = new Map<number, { text?: string; reasoning?: { text: string; signature?: string }; tool?: { toolUseId: string; name: string; input: string } }>();
  const block = (index: number) => {
    let entry = blocks.get(index);
    if (entry === undefined) blocks.set(index, (entry = {}));
    return entry;
  };
  let stopReason: string | undefined;
  let usage: TokenUsage | undefined;
  for await (const event of events ?? []) {
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse;
      block(event.contentBlockStart.contentBlockIndex!).tool = { toolUseId: toolUseId!, name: name!, input: '' };
    } else if (event.contentBlockDelta?.delta) {
      const { delta, contentBlockIndex } = event.contentBlockDelta;
      const entry = block(contentBlockIndex!);
      if (delta.text !== undefined) entry.text = (entry.text ?? '') + delta.text;
      if (delta.toolUse?.input !== undefined) entry.tool!.input += delta.toolUse.input;
      if (delta.reasoningContent?.text !== undefined) entry.reasoning = { text: (entry.reasoning?.text ?? '') + delta.reasoningContent.text, ...(entry.reasoning?.signature ? { signature: entry.reasoning.signature } : {}) };
      if (delta.reasoningContent?.signature !== undefined) entry.reasoning = { text: entry.reasoning?.text ?? '', signature: delta.reasoningContent.signature };
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason;
    } else if (event.metadata) {
      usage = event.metadata.usage;
    }
  }
  const content = [...blocks.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, entry]): ContentBlock => {
      if (entry.tool) return { toolUse: { toolUseId: entry.tool.toolUseId, name: entry.tool.name, input: parseArguments(entry.tool.input) as never } };
      if (entry.reasoning) return { reasoningContent: { reasoningText: { text: entry.reasoning.text, ...(entry.reasoning.signature ? { signature: entry.reasoning.signature } : {}) } } };
      return { text: entry.text ?? '' };
    });
  return { message: { role: 'assistant', content }, turn: bedrockTurn(content, stopReason, usage) };
}

export const bedrockRow: SurfaceRow = {
  name: 'bedrock',
  dialect: 'bedrock-converse',
  client(gatewayUrl) {
    const client = bedrockClient(gatewayUrl);
    const ask: Message[] = [{ role: 'user', content: [{ text: QUESTION }] }];
    return {
      text: async (modelId) =>
        fromOutput(
          await client.send(
            new ConverseCommand({
              modelId,
              system: [{ text: TEXT_OPTIONS.system }],
              messages: ask,
              inferenceConfig: { maxTokens: TEXT_OPTIONS.maxTokens, temperature: TEXT_OPTIONS.temperature, stopSequences: [...TEXT_OPTIONS.stop] },
            }),
          ),
        ).turn,
      stream: async (modelId) => (await fromStream((await client.send(new ConverseStreamCommand({ modelId, messages: ask }))).stream)).turn,
      async toolRoundTrip(modelId, specs, toolOutput, { stream }) {
        const toolConfig: ConverseCommandInput['toolConfig'] = {
          tools: specs.map((tool) => ({ toolSpec: { name: tool.name, description: tool.description, inputSchema: { json: tool.parameters as never } } })),
        };
        const complete = async (messages: Message[]): Promise<AssistantTurn> =>
          stream
            ? fromStream((await client.send(new ConverseStreamCommand({ modelId, messages, toolConfig }))).stream)
            : fromOutput(await client.send(new ConverseCommand({ modelId, messages, toolConfig })));
        const first = await complete(ask);
        const calls = (first.message.content ?? []).filter((block) => block.toolUse !== undefined).map((block) => block.toolUse!);
        if (calls.length === 0) return { first: first.turn, final: first.turn };
        // The assistant message goes back as received (reasoning included); every result in one user message.
        const final = await complete([...ask, first.message, { role: 'user', content: calls.map((call) => ({ toolResult: { toolUseId: call.toolUseId, content: [{ text: toolOutput }] } })) }]);
        return { first: first.turn, final: final.turn };
      },
    };
  },
  release() {
    for (const client of clients.values()) client.destroy();
    clients.clear();
  },
  errors: {
    // Bedrock has no system role in messages: the surface refuses it.
    invalid: (gatewayUrl) => caught(() => bedrockClient(gatewayUrl).send(new ConverseCommand({ modelId: 'openai/gpt-4o', messages: [{ role: 'system' as 'user', content: [{ text: 'x' }] }] }))),
    call: (gatewayUrl, modelId, prompt, { stream }) =>
      caught(async () => {
        const client = bedrockClient(gatewayUrl);
        const messages: Message[] = [{ role: 'user', content: [{ text: prompt }] }];
        if (!stream) return client.send(new ConverseCommand({ modelId, messages }));
        const answer = await client.send(new ConverseStreamCommand({ modelId, messages }));
        for await (const _event of answer.stream ?? []) {
          // drain
        }
      }),
    read: (error) => {
      const exception = error as BedrockRuntimeServiceException & { $response?: { headers?: Record<string, string> } };
      const headers = exception.$response?.headers ?? {};
      return { status: exception.$metadata?.httpStatusCode, retryAfter: headers['retry-after'], errorCode: headers['x-switchyard-error-code'], type: exception.name };
    },
    expect: {
      'rate-limit': { errorClass: ThrottlingException, type: 'ThrottlingException' },
      // The gateway's upstream credentials were refused: access denied, in Bedrock's words.
      authentication: { errorClass: BedrockRuntimeServiceException, type: 'AccessDeniedException' },
      'bad-request': { errorClass: ValidationException, type: 'ValidationException' },
      overloaded: { errorClass: ServiceUnavailableException, type: 'ServiceUnavailableException' },
      unreachable: { errorClass: ServiceUnavailableException, type: 'ServiceUnavailableException' },
      'invalid-request': { errorClass: ValidationException, type: 'ValidationException' },
      // An exception message in the stream, of a kind the ConverseStream union models: a broken
      // connection or an overloaded provider is unavailable; a failed model stream is its own kind.
      'mid-stream': { errorClass: BedrockRuntimeServiceException, type: (canonical) => (canonical.code === 'stream_error' ? 'ModelStreamErrorException' : 'ServiceUnavailableException') },
    },
  },
};
