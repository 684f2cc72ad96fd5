import OpenAI from 'openai';
import { TEXT_OPTIONS, type Finish, type SeenToolCall, type SurfaceRow, type Turn } from './matrix-types.js';
import { OPENAI_SDK_ERRORS } from './surface-openai.js';
import { caught, parseArguments, QUESTION } from './surface-helpers.js';

/*
 * The OpenAI Responses surface (/v1/responses), with the `openai` SDK: responses.create and
 * responses.stream (its own accumulator, finalResponse), function calls answered with
 * function_call_output items after the output items echoed back, as OpenAI documents. The
 * Responses API has no stop sequences.
 */

type Response = OpenAI.Responses.Response;

function responsesClient(gatewayUrl: string): OpenAI {
  return new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'matrix-client-key', maxRetries: 0 });
}

function responseTurn(response: Response, streamedText?: string): Turn {
  const toolCalls = response.output.flatMap((item): SeenToolCall[] => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, input: parseArguments(item.arguments) }] : []));
  let finish: Finish;
  if (response.status === 'completed') finish = toolCalls.length > 0 ? 'tool-calls' : 'stop';
  else if (response.incomplete_details?.reason === 'max_output_tokens') finish = 'length';
  else finish = `other:${response.status}`;
  return {
    text: streamedText ?? response.output_text,
    finish,
    toolCalls,
    ...(response.usage ? { usage: { input: response.usage.input_tokens, output: response.usage.output_tokens } } : {}),
  };
}

async function streamed(stream: ReturnType<OpenAI['responses']['stream']>): Promise<{ response: Response; text: string }> {
  let text = '';
  stream.on('response.output_text.delta', (event) => (text += event.delta));
  return { response: await stream.finalResponse(), text };
}

export const responsesRow: SurfaceRow = {
  name: 'responses',
  dialect: 'openai-responses',
  lacks: ['stop'],
  client(gatewayUrl) {
    const client = responsesClient(gatewayUrl);
    return {
      text: async (model) =>
        responseTurn(await client.responses.create({ model, instructions: TEXT_OPTIONS.system, input: QUESTION, max_output_tokens: TEXT_OPTIONS.maxTokens, temperature: TEXT_OPTIONS.temperature })),
      async stream(model) {
        const { response, text } = await streamed(client.responses.stream({ model, input: QUESTION }));
        return responseTurn(response, text);
      },
      async toolRoundTrip(model, specs, toolOutput, { stream }) {
        const tools: OpenAI.Responses.FunctionTool[] = specs.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false }));
        // Echoed output items carry reasoning (signatures of other providers included) in encrypted_content, when asked for.
        const include: OpenAI.Responses.ResponseIncludable[] = ['reasoning.encrypted_content'];
        const complete = async (input: OpenAI.Responses.ResponseInputItem[]): Promise<Response> =>
          stream ? (await streamed(client.responses.stream({ model, input, tools, include }))).response : client.responses.create({ model, input, tools, include });
        const ask: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: QUESTION }];
        const first = await complete(ask);
        const calls = first.output.filter((item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === 'function_call');
        if (calls.length === 0) return { first: responseTurn(first), final: responseTurn(first) };
        // The output items go back as input, then one function_call_output per call.
        const final = await complete([
          ...ask,
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          ...calls.map((call): OpenAI.Responses.ResponseInputItem => ({ type: 'function_call_output', call_id: call.call_id, output: toolOutput })),
        ]);
        return { first: responseTurn(first), final: responseTurn(final) };
      },
    };
  },
  errors: {
    invalid: (gatewayUrl) => caught(() => responsesClient(gatewayUrl).responses.create({ model: 'openai/gpt-4o', input: [{ role: 'wizard', content: 'x' }] } as never)),
    call: (gatewayUrl, model, prompt, { stream }) =>
      caught(async () => {
        const client = responsesClient(gatewayUrl);
        if (!stream) return client.responses.create({ model, input: prompt });
        for await (const _event of await client.responses.create({ model, input: prompt, stream: true })) {
          // drain
        }
      }),
    ...OPENAI_SDK_ERRORS,
  },
};
