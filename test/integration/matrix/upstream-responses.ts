import { readFixtureText } from '../../helpers/fixtures.js';
import { fixtureReply, type RecordedRequest } from '../../helpers/mock-upstream.js';
import type { Finish, RecordedFixtures, SeenToolCall, Turn, UpstreamDialect, UpstreamErrorCase, UpstreamTurn } from './matrix-types.js';
import { sseData } from './upstream-dialects.js';

/*
 * The OpenAI Responses API wire format (POST /v1/responses; OpenAI and Azure with
 * `api: responses`), read independently of the gateway's Responses adapter. The Responses API
 * has no stop sequences.
 */

type Json = Record<string, any>;

const parseArguments = (text: string): unknown => (text.trim() === '' ? {} : JSON.parse(text));

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return JSON.stringify(content);
  return content.map((part: Json) => (typeof part.text === 'string' ? part.text : '')).join('');
}

/** The answer of a Response object. */
function responseTurn(response: Json, streamedText?: string): Turn {
  const output: Json[] = response.output ?? [];
  const toolCalls = output.filter((item) => item.type === 'function_call').map((item): SeenToolCall => ({ id: item.call_id, name: item.name, input: parseArguments(item.arguments) }));
  const text = output
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content as Json[])
    .filter((part) => part.type === 'output_text')
    .map((part) => part.text as string)
    .join('');
  let finish: Finish;
  if (response.status === 'completed') finish = toolCalls.length > 0 ? 'tool-calls' : 'stop';
  else if (response.incomplete_details?.reason === 'max_output_tokens') finish = 'length';
  else finish = `other:${response.status}`;
  return {
    text: streamedText ?? text,
    finish,
    toolCalls,
    ...(response.usage ? { usage: { input: response.usage.input_tokens, output: response.usage.output_tokens } } : {}),
  };
}

function streamTurn(events: Json[]): Turn {
  // Text from the deltas as they arrived; everything else from the final response object.
  const text = events
    .filter((event) => event.type === 'response.output_text.delta')
    .map((event) => event.delta as string)
    .join('');
  const final = events.find((event) => event.type === 'response.completed' || event.type === 'response.incomplete');
  return responseTurn(final?.response ?? {}, text);
}

function inputItems(body: Json): Json[] {
  if (typeof body.input === 'string') return [{ role: 'user', content: body.input }];
  return body.input ?? [];
}

export const openAiResponsesUpstream: UpstreamDialect = {
  name: 'openai-responses',
  lacks: ['stop'],
  readTurn(request: RecordedRequest): UpstreamTurn {
    const body = request.json as Json;
    const items = inputItems(body);
    const system = [
      ...(body.instructions === undefined || body.instructions === null ? [] : [body.instructions as string]),
      ...items.filter((item) => item.role === 'system' || item.role === 'developer').map((item) => contentText(item.content)),
    ];
    return {
      stream: body.stream === true,
      system: system.length === 0 ? undefined : system.join('\n'),
      maxTokens: body.max_output_tokens,
      temperature: body.temperature,
      stop: body.stop,
      toolNames: (body.tools ?? []).map((tool: Json) => tool.name),
      toolResults: items.filter((item) => item.type === 'function_call_output').map((item) => ({ id: item.call_id, content: contentText(item.output) })),
      assistantToolCalls: items.filter((item) => item.type === 'function_call').map((item) => ({ id: item.call_id, name: item.name, input: parseArguments(item.arguments) })),
    };
  },
  recordedTurn(fixture: string): Turn {
    const text = readFixtureText(fixture);
    return fixture.endsWith('.sse') ? streamTurn(sseData(text)) : responseTurn(JSON.parse(text) as Json);
  },
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures) {
    switch (errorCase) {
      case 'rate-limit':
        return {
          reply: { status: 429, headers: { 'retry-after': '7' }, body: JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded', param: null } }) },
          type: 'requests',
        };
      case 'authentication':
        return { reply: fixtureReply('openai-responses/error-401-invalid-api-key.json', { status: 401 }), type: 'invalid_request_error' };
      case 'bad-request':
        return { reply: fixtureReply('openai-responses/error-400-invalid-temperature.json', { status: 400 }), type: 'invalid_request_error' };
      case 'overloaded':
        return {
          reply: { status: 503, body: JSON.stringify({ error: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', code: null, param: null } }) },
          type: 'server_error',
        };
      case 'mid-stream': {
        // The recorded stream, cut off after its first text delta: the connection drops mid-answer.
        const blocks = readFixtureText(fixtures.stream).split('\n\n');
        const firstDelta = blocks.findIndex((block) => block.includes('response.output_text.delta'));
        const head = `${blocks.slice(0, firstDelta + 1).join('\n\n')}\n\n`;
        return { reply: { status: 200, headers: { 'content-type': 'text/event-stream' }, body: head, dieAfterBytes: Buffer.byteLength(head) }, canonical: { code: 'upstream_unreachable', status: 502 } };
      }
    }
  },
};
