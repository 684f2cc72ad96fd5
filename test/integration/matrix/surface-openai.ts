import OpenAI from 'openai';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';
import { caught, parseArguments as parse, QUESTION } from './surface-helpers.js';

// ---------------------------------------------------------------------------------------------
// OpenAI chat completions, with the `openai` SDK
// ---------------------------------------------------------------------------------------------

const OPENAI_FINISH: Record<string, Finish> = { stop: 'stop', tool_calls: 'tool-calls', length: 'length' };

/** How the openai SDK shows each canonical error: shared by the chat and Responses rows. */
export const OPENAI_SDK_ERRORS: Pick<SurfaceRow['errors'], 'read' | 'expect'> = {
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
};

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

export const openAiRow: SurfaceRow = {
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
    ...OPENAI_SDK_ERRORS,
  },
};

