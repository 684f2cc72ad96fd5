import { Cohere, CohereClientV2, type CohereError } from 'cohere-ai';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';
import { caught, parseArguments, QUESTION } from './surface-helpers.js';

/*
 * The Cohere surface (/cohere), with the `cohere-ai` SDK (CohereClientV2): chat and chatStream,
 * tool use with the prose before the calls as `toolPlan`, results as `tool` messages.
 */

/** The statuses Cohere's API documents (each one its own SDK error class). */
const COHERE_STATUSES = new Set([400, 401, 402, 403, 404, 422, 429, 498, 499, 500, 501, 503, 504]);

const COHERE_FINISH: Record<string, Finish> = { COMPLETE: 'stop', STOP_SEQUENCE: 'stop', TOOL_CALL: 'tool-calls', MAX_TOKENS: 'length' };

/**
 * Cohere reports a failure after the stream started as a `message-end` event with finish reason
 * ERROR; the SDK does not raise it, so an application does.
 */
export class CohereStreamFailure extends Error {}

function cohereClient(gatewayUrl: string): CohereClientV2 {
  return new CohereClientV2({ token: 'matrix-client-key', environment: `${gatewayUrl}/cohere`, maxRetries: 0 });
}

const finishOf = (reason: string | undefined): Finish => (reason === undefined ? 'other:none' : (COHERE_FINISH[reason] ?? `other:${reason}`));

function usageOf(usage: Cohere.Usage | undefined): Turn['usage'] {
  const tokens = usage?.tokens;
  return tokens?.inputTokens === undefined ? undefined : { input: tokens.inputTokens, output: tokens.outputTokens ?? 0 };
}

interface AssistantTurn {
  toolPlan: string;
  toolCalls: Cohere.ToolCallV2[];
  turn: Turn;
}

function assistantTurn(text: string, toolPlan: string, toolCalls: Cohere.ToolCallV2[], finishReason: string | undefined, usage: Cohere.Usage | undefined): AssistantTurn {
  const seen = usageOf(usage);
  return {
    toolPlan,
    toolCalls,
    turn: {
      text: toolPlan + text,
      finish: finishOf(finishReason),
      toolCalls: toolCalls.map((call): SeenToolCall => ({ id: call.id ?? '', name: call.function?.name ?? '', input: parseArguments(call.function?.arguments ?? '') })),
      ...(seen ? { usage: seen } : {}),
    },
  };
}

function fromResponse(response: Cohere.V2ChatResponse): AssistantTurn {
  const text = (response.message.content ?? []).map((block) => (block.type === 'text' ? block.text : '')).join('');
  return assistantTurn(text, response.message.toolPlan ?? '', response.message.toolCalls ?? [], response.finishReason, response.usage);
}

async function fromStream(stream: AsyncIterable<Cohere.V2ChatStreamResponse>): Promise<AssistantTurn> {
  let text = '';
  let toolPlan = '';
  const calls = new Map<number, Cohere.ToolCallV2>();
  let finishReason: string | undefined;
  let usage: Cohere.Usage | undefined;
  for await (const event of stream) {
    if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
    else if (event.type === 'tool-plan-delta') toolPlan += event.delta?.message?.toolPlan ?? '';
    else if (event.type === 'tool-call-start') {
      const call = event.delta?.message?.toolCalls;
      calls.set(event.index ?? calls.size, { id: call?.id ?? '', type: 'function', function: { name: call?.function?.name ?? '', arguments: call?.function?.arguments ?? '' } });
    } else if (event.type === 'tool-call-delta') {
      const call = calls.get(event.index ?? 0)!;
      call.function!.arguments = (call.function!.arguments ?? '') + (event.delta?.message?.toolCalls?.function?.arguments ?? '');
    } else if (event.type === 'message-end') {
      finishReason = event.delta?.finishReason;
      usage = event.delta?.usage;
      if (finishReason === 'ERROR') throw new CohereStreamFailure(event.delta?.error ?? 'the stream failed');
    }
  }
  return assistantTurn(text, toolPlan, [...calls.values()], finishReason, usage);
}

export const cohereRow: SurfaceRow = {
  name: 'cohere',
  dialect: 'cohere-v2',
  client(gatewayUrl) {
    const client = cohereClient(gatewayUrl);
    const ask: Cohere.ChatMessageV2[] = [{ role: 'user', content: QUESTION }];
    return {
      text: async (model) =>
        fromResponse(
          await client.chat({
            model,
            messages: [{ role: 'system', content: TEXT_OPTIONS.system }, ...ask],
            maxTokens: TEXT_OPTIONS.maxTokens,
            temperature: TEXT_OPTIONS.temperature,
            stopSequences: [...TEXT_OPTIONS.stop],
          }),
        ).turn,
      stream: async (model) => (await fromStream(await client.chatStream({ model, messages: ask }))).turn,
      async toolRoundTrip(model, specs, toolOutput, { stream }) {
        const tools: Cohere.ToolV2[] = specs.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
        const complete = async (messages: Cohere.ChatMessageV2[]): Promise<AssistantTurn> =>
          stream ? fromStream(await client.chatStream({ model, messages, tools })) : fromResponse(await client.chat({ model, messages, tools }));
        const first = await complete(ask);
        if (first.toolCalls.length === 0) return { first: first.turn, final: first.turn };
        // Cohere's own history shape: the plan and the calls, then one tool message per call.
        const final = await complete([
          ...ask,
          { role: 'assistant', ...(first.toolPlan === '' ? {} : { toolPlan: first.toolPlan }), toolCalls: first.toolCalls },
          ...first.toolCalls.map((call): Cohere.ChatMessageV2 => ({ role: 'tool', toolCallId: call.id!, content: toolOutput })),
        ]);
        return { first: first.turn, final: final.turn };
      },
    };
  },
  errors: {
    invalid: (gatewayUrl) => caught(() => cohereClient(gatewayUrl).chat({ model: 'openai/gpt-4o', messages: [{ role: 'wizard', content: 'x' } as never] })),
    call: (gatewayUrl, model, prompt, { stream }) =>
      caught(async () => {
        const client = cohereClient(gatewayUrl);
        const messages: Cohere.ChatMessageV2[] = [{ role: 'user', content: prompt }];
        if (!stream) return client.chat({ model, messages });
        await fromStream(await client.chatStream({ model, messages }));
      }),
    read: (error) => {
      if (error instanceof CohereStreamFailure) return { status: undefined, retryAfter: undefined, errorCode: undefined, type: undefined };
      const cohereError = error as CohereError;
      const headers = cohereError.rawResponse?.headers;
      return { status: cohereError.statusCode, retryAfter: headers?.get('retry-after'), errorCode: headers?.get('x-switchyard-error-code'), type: undefined };
    },
    expect: {
      'rate-limit': { errorClass: Cohere.TooManyRequestsError },
      authentication: { errorClass: Cohere.UnauthorizedError },
      'bad-request': { errorClass: Cohere.BadRequestError },
      // Overloaded (OpenAI's 503, Anthropic's 529) and unreachable (502) alike: unavailable.
      overloaded: { errorClass: Cohere.ServiceUnavailableError },
      unreachable: { errorClass: Cohere.ServiceUnavailableError },
      'invalid-request': { errorClass: Cohere.BadRequestError },
      'mid-stream': { errorClass: CohereStreamFailure },
    },
    // Cohere answers only with its own statuses, each an SDK class: the others become the nearest one.
    statusFor: ({ code, status }) => (COHERE_STATUSES.has(status) ? status : code === 'upstream_overloaded' || code === 'upstream_unreachable' ? 503 : 500),
  },
};
