import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';

/*
 * The surface table of the cross matrix: one row per client-facing surface, driven by that
 * surface's official SDK exactly as an application would use it. Each row says how to send
 * plain text, a stream and a tool-call round trip, how to read the answer back into a `Turn`,
 * and how the SDK must see each canonical error.
 */

type Json = Record<string, any>;

const QUESTION = 'What is the weather in San Francisco?';
const parse = (text: string): unknown => (text.trim() === '' ? {} : JSON.parse(text));

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the SDK to throw');
}

// ---------------------------------------------------------------------------------------------
// OpenAI chat completions, with the `openai` SDK
// ---------------------------------------------------------------------------------------------

const OPENAI_FINISH: Record<string, Finish> = { stop: 'stop', tool_calls: 'tool-calls', length: 'length' };

function openAiTurn(completion: OpenAI.ChatCompletion): Turn {
  const choice = completion.choices[0]!;
  return {
    text: choice.message.content ?? '',
    finish: OPENAI_FINISH[choice.finish_reason] ?? `other:${choice.finish_reason}`,
    toolCalls: (choice.message.tool_calls ?? []).flatMap((call): SeenToolCall[] => (call.type === 'function' ? [{ id: call.id, name: call.function.name, input: parse(call.function.arguments) }] : [])),
    ...(completion.usage ? { usage: { input: completion.usage.prompt_tokens, output: completion.usage.completion_tokens } } : {}),
  };
}

function openAiClient(gatewayUrl: string): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'matrix-client-key', maxRetries: 0 });
}

const openAiRow: SurfaceRow = {
  name: 'openai',
  dialect: 'openai-chat',
  client(gatewayUrl) {
    const client = openAiClient(gatewayUrl);
    const ask: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: QUESTION }];
    return {
      text: async (model) =>
        openAiTurn(
          await client.chat.completions.create({
            model,
            messages: [{ role: 'system', content: TEXT_OPTIONS.system }, ...ask],
            max_completion_tokens: TEXT_OPTIONS.maxTokens,
            temperature: TEXT_OPTIONS.temperature,
            stop: [...TEXT_OPTIONS.stop],
          }),
        ),
      async stream(model) {
        // Read the raw chunks as an application iterating the stream does.
        const stream = await client.chat.completions.create({ model, messages: ask, stream: true, stream_options: { include_usage: true } });
        let text = '';
        let finish: Finish = 'other:none';
        let usage: Turn['usage'];
        for await (const chunk of stream) {
          const choice = chunk.choices[0];
          // Azure (passed through byte for byte) sends a chunk with content filter results and no delta.
          text += choice?.delta?.content ?? '';
          if (choice?.finish_reason) finish = OPENAI_FINISH[choice.finish_reason] ?? `other:${choice.finish_reason}`;
          if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
        }
        return { text, finish, toolCalls: [], ...(usage ? { usage } : {}) };
      },
      async toolRoundTrip(model, specs, toolOutput, { stream }) {
        const tools: OpenAI.ChatCompletionTool[] = specs.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
        // Streams go through the SDK's own accumulator (ChatCompletionStream), which checks chunk order and tool-call indexes.
        const complete = (messages: OpenAI.ChatCompletionMessageParam[]) =>
          stream
            ? client.chat.completions.stream({ model, messages, tools, stream_options: { include_usage: true } }).finalChatCompletion()
            : client.chat.completions.create({ model, messages, tools });
        const first = await complete(ask);
        const message = first.choices[0]!.message;
        const calls = message.tool_calls ?? [];
        if (calls.length === 0) return { first: openAiTurn(first), final: openAiTurn(first) };
        // The assistant message goes back as the SDK returned it, as applications do; one tool message per call.
        const results = calls.map((call): OpenAI.ChatCompletionToolMessageParam => ({ role: 'tool', tool_call_id: call.id, content: toolOutput }));
        const final = await complete([...ask, message as OpenAI.ChatCompletionMessageParam, ...results]);
        return { first: openAiTurn(first), final: openAiTurn(final) };
      },
    };
  },
  errors: {
    invalid: (gatewayUrl) => caught(() => openAiClient(gatewayUrl).chat.completions.create({ model: 'openai/gpt-4o', messages: [{ role: 'wizard', content: 'x' }] } as never)),
    call: (gatewayUrl, model, prompt, { stream }) =>
      caught(async () => {
        const client = openAiClient(gatewayUrl);
        const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: prompt }];
        if (!stream) return client.chat.completions.create({ model, messages });
        for await (const _chunk of await client.chat.completions.create({ model, messages, stream: true })) {
          // drain
        }
      }),
    read: (error) => {
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      return { status: apiError.status, retryAfter: apiError.headers?.get('retry-after'), errorCode: apiError.headers?.get('x-switchyard-error-code'), type: apiError.type ?? undefined };
    },
    expect: {
      'rate-limit': { errorClass: OpenAI.RateLimitError, type: 'rate_limit_error' },
      authentication: { errorClass: OpenAI.AuthenticationError, type: 'authentication_error' },
      'bad-request': { errorClass: OpenAI.BadRequestError, type: 'invalid_request_error' },
      overloaded: { errorClass: OpenAI.InternalServerError, type: 'server_error' },
      unreachable: { errorClass: OpenAI.InternalServerError, type: 'server_error' },
      'invalid-request': { errorClass: OpenAI.BadRequestError, type: 'invalid_request_error' },
      'mid-stream': { errorClass: OpenAI.APIError, type: 'server_error' },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Anthropic Messages, with the `@anthropic-ai/sdk` SDK
// ---------------------------------------------------------------------------------------------

const ANTHROPIC_FINISH: Record<string, Finish> = { end_turn: 'stop', tool_use: 'tool-calls', max_tokens: 'length', stop_sequence: 'stop' };

function anthropicTurn(message: Anthropic.Message, streamedText?: string): Turn {
  const text = message.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
  return {
    text: streamedText ?? text,
    finish: ANTHROPIC_FINISH[message.stop_reason ?? ''] ?? `other:${message.stop_reason}`,
    toolCalls: message.content.flatMap((block): SeenToolCall[] => (block.type === 'tool_use' ? [{ id: block.id, name: block.name, input: block.input }] : [])),
    usage: { input: message.usage.input_tokens, output: message.usage.output_tokens },
  };
}

function anthropicClient(gatewayUrl: string): Anthropic {
  return new Anthropic({ baseURL: `${gatewayUrl}/anthropic`, apiKey: 'matrix-client-key', maxRetries: 0 });
}

const anthropicRow: SurfaceRow = {
  name: 'anthropic',
  dialect: 'anthropic-messages',
  client(gatewayUrl) {
    const client = anthropicClient(gatewayUrl);
    const ask: Anthropic.MessageParam[] = [{ role: 'user', content: QUESTION }];
    return {
      text: async (model) =>
        anthropicTurn(
          await client.messages.create({
            model,
            system: TEXT_OPTIONS.system,
            max_tokens: TEXT_OPTIONS.maxTokens,
            stop_sequences: [...TEXT_OPTIONS.stop],
            messages: ask,
            // No longer in the SDK's 1.x types, still sent by older clients and accepted by the API.
            ...({ temperature: TEXT_OPTIONS.temperature } as object),
          }),
        ),
      async stream(model) {
        const stream = client.messages.stream({ model, max_tokens: 1024, messages: ask });
        let text = '';
        stream.on('text', (delta) => (text += delta));
        return anthropicTurn(await stream.finalMessage(), text);
      },
      async toolRoundTrip(model, specs, toolOutput, { stream }) {
        const tools: Anthropic.Tool[] = specs.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters as Anthropic.Tool.InputSchema }));
        const complete = (messages: Anthropic.MessageParam[]) =>
          stream ? client.messages.stream({ model, max_tokens: 1024, messages, tools }).finalMessage() : client.messages.create({ model, max_tokens: 1024, messages, tools });
        const first = await complete(ask);
        const calls = first.content.filter((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
        if (calls.length === 0) return { first: anthropicTurn(first), final: anthropicTurn(first) };
        // The assistant content goes back as the SDK returned it (thinking blocks included), as
        // applications do; every result in one user message, as Anthropic requires.
        const final = await complete([
          ...ask,
          { role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] },
          { role: 'user', content: calls.map((call): Anthropic.ToolResultBlockParam => ({ type: 'tool_result', tool_use_id: call.id, content: toolOutput })) },
        ]);
        return { first: anthropicTurn(first), final: anthropicTurn(final) };
      },
    };
  },
  errors: {
    invalid: (gatewayUrl) => caught(() => anthropicClient(gatewayUrl).messages.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] } as never)),
    call: (gatewayUrl, model, prompt, { stream }) =>
      caught(async () => {
        const client = anthropicClient(gatewayUrl);
        const params = { model, max_tokens: 100, messages: [{ role: 'user' as const, content: prompt }] };
        return stream ? client.messages.stream(params).finalMessage() : client.messages.create(params);
      }),
    read: (error) => {
      const apiError = error as InstanceType<typeof Anthropic.APIError>;
      return { status: apiError.status, retryAfter: apiError.headers?.get('retry-after'), errorCode: apiError.headers?.get('x-switchyard-error-code'), type: (apiError.error as Json | undefined)?.error?.type };
    },
    expect: {
      'rate-limit': { errorClass: Anthropic.RateLimitError, type: 'rate_limit_error' },
      authentication: { errorClass: Anthropic.AuthenticationError, type: 'authentication_error' },
      'bad-request': { errorClass: Anthropic.BadRequestError, type: 'invalid_request_error' },
      overloaded: { errorClass: Anthropic.InternalServerError, type: 'overloaded_error' },
      unreachable: { errorClass: Anthropic.InternalServerError, type: 'api_error' },
      'invalid-request': { errorClass: Anthropic.BadRequestError, type: 'invalid_request_error' },
      'mid-stream': { errorClass: Anthropic.APIError, type: 'api_error' },
    },
  },
};

export const SURFACES: SurfaceRow[] = [openAiRow, anthropicRow];
