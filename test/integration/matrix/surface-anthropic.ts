import Anthropic from '@anthropic-ai/sdk';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';
import { caught, QUESTION, type Json } from './surface-helpers.js';

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

export const anthropicRow: SurfaceRow = {
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

