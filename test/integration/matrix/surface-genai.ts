import { ApiError, GoogleGenAI, type Content, type GenerateContentResponse, type Part } from '@google/genai';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';
import { caught, QUESTION, type Json } from './surface-helpers.js';

/*
 * The Google GenAI surface (/genai), with the `@google/genai` SDK: generateContent and
 * generateContentStream, function calling with functionResponse parts sent back as Google
 * documents them (`{"output": ...}`).
 */

const GEMINI_FINISH: Record<string, Finish> = { STOP: 'stop', MAX_TOKENS: 'length' };

function genAiClient(gatewayUrl: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey: 'matrix-client-key', httpOptions: { baseUrl: `${gatewayUrl}/genai`, retryOptions: { attempts: 1 } } });
}

/** The answer of one model turn, given all its parts (a stream's parts in order) and how it finished. */
function genAiTurn(parts: Part[], finishReason: string | undefined, usage: GenerateContentResponse['usageMetadata']): Turn {
  const toolCalls = parts.flatMap((part): SeenToolCall[] => (part.functionCall ? [{ id: part.functionCall.id ?? '', name: part.functionCall.name ?? '', input: part.functionCall.args ?? {} }] : []));
  let finish: Finish = finishReason === undefined ? 'other:none' : (GEMINI_FINISH[finishReason] ?? `other:${finishReason}`);
  // Gemini says STOP for a turn that made function calls.
  if (finishReason === 'STOP' && toolCalls.length > 0) finish = 'tool-calls';
  return {
    text: parts
      .filter((part) => typeof part.text === 'string' && part.thought !== true)
      .map((part) => part.text)
      .join(''),
    finish,
    toolCalls,
    ...(usage?.promptTokenCount === undefined ? {} : { usage: { input: usage.promptTokenCount, output: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0) } }),
  };
}

/** A whole model turn: the content to send back in the history, and what the client read. */
interface ModelTurn {
  content: Content;
  turn: Turn;
}

function fromResponse(response: GenerateContentResponse): ModelTurn {
  const candidate = response.candidates?.[0];
  const content = candidate?.content ?? { role: 'model', parts: [] };
  return { content, turn: genAiTurn(content.parts ?? [], candidate?.finishReason, response.usageMetadata) };
}

/** Accumulate a stream as the SDK's own chat history does: every chunk's parts, in order. */
async function fromStream(stream: AsyncGenerator<GenerateContentResponse>): Promise<ModelTurn> {
  const parts: Part[] = [];
  let finishReason: string | undefined;
  let usage: GenerateContentResponse['usageMetadata'];
  for await (const chunk of stream) {
    const candidate = chunk.candidates?.[0];
    parts.push(...(candidate?.content?.parts ?? []));
    finishReason = candidate?.finishReason ?? finishReason;
    usage = chunk.usageMetadata ?? usage;
  }
  return { content: { role: 'model', parts }, turn: genAiTurn(parts, finishReason, usage) };
}

/** The google.rpc.Status body an ApiError carries in its message (after "got status: ..." for stream errors). */
function errorBody(error: ApiError): Json | undefined {
  const start = error.message.indexOf('{');
  if (start < 0) return undefined;
  try {
    return (JSON.parse(error.message.slice(start)) as Json).error;
  } catch {
    return undefined;
  }
}

export const genAiRow: SurfaceRow = {
  name: 'genai',
  dialect: 'gemini',
  client(gatewayUrl) {
    const ai = genAiClient(gatewayUrl);
    const ask: Content[] = [{ role: 'user', parts: [{ text: QUESTION }] }];
    return {
      text: async (model) =>
        fromResponse(
          await ai.models.generateContent({
            model,
            contents: ask,
            config: { systemInstruction: TEXT_OPTIONS.system, maxOutputTokens: TEXT_OPTIONS.maxTokens, temperature: TEXT_OPTIONS.temperature, stopSequences: [...TEXT_OPTIONS.stop] },
          }),
        ).turn,
      stream: async (model) => (await fromStream(await ai.models.generateContentStream({ model, contents: ask }))).turn,
      async toolRoundTrip(model, specs, toolOutput, { stream }) {
        const config = { tools: [{ functionDeclarations: specs.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }] };
        const complete = async (contents: Content[]): Promise<ModelTurn> =>
          stream ? fromStream(await ai.models.generateContentStream({ model, contents, config })) : fromResponse(await ai.models.generateContent({ model, contents, config }));
        const first = await complete(ask);
        const calls = (first.content.parts ?? []).filter((part) => part.functionCall !== undefined).map((part) => part.functionCall!);
        if (calls.length === 0) return { first: first.turn, final: first.turn };
        // The model turn goes back as received (thought signatures included); one functionResponse per call, with its id when it had one.
        const results: Part[] = calls.map((call) => ({ functionResponse: { name: call.name, response: { output: toolOutput }, ...(call.id ? { id: call.id } : {}) } }));
        const final = await complete([...ask, first.content, { role: 'user', parts: results }]);
        return { first: first.turn, final: final.turn };
      },
    };
  },
  errors: {
    invalid: (gatewayUrl) => caught(() => genAiClient(gatewayUrl).models.generateContent({ model: 'openai/gpt-4o', contents: [{ role: 'wizard', parts: [{ text: 'x' }] }] })),
    call: (gatewayUrl, model, prompt, { stream }) =>
      caught(async () => {
        const ai = genAiClient(gatewayUrl);
        if (!stream) return ai.models.generateContent({ model, contents: prompt });
        for await (const _chunk of await ai.models.generateContentStream({ model, contents: prompt })) {
          // drain
        }
      }),
    read: (error) => {
      // The SDK keeps no headers: the retry time and the gateway's code are read from the body's details.
      const body = errorBody(error as ApiError);
      const details: Json[] = body?.details ?? [];
      const retryDelay = details.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.RetryInfo')?.retryDelay as string | undefined;
      const info = details.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo');
      return {
        status: (error as ApiError).status,
        retryAfter: retryDelay === undefined ? undefined : String(Math.ceil(Number.parseFloat(retryDelay))),
        errorCode: info?.metadata?.code,
        type: body?.status,
      };
    },
    expect: {
      'rate-limit': { errorClass: ApiError, type: 'RESOURCE_EXHAUSTED' },
      authentication: { errorClass: ApiError, type: 'UNAUTHENTICATED' },
      'bad-request': { errorClass: ApiError, type: 'INVALID_ARGUMENT' },
      overloaded: { errorClass: ApiError, type: 'UNAVAILABLE' },
      unreachable: { errorClass: ApiError, type: 'UNAVAILABLE' },
      'invalid-request': { errorClass: ApiError, type: 'INVALID_ARGUMENT' },
      // A stream failure is an {"error": ...} event: named after the canonical error it was.
      'mid-stream': { errorClass: ApiError, type: (canonical) => (canonical.code === 'stream_error' ? 'INTERNAL' : 'UNAVAILABLE') },
    },
    streamErrorsCarryStatus: true,
  },
};
