import { readFixtureText } from '../../helpers/fixtures.js';
import type { MockReply, RecordedRequest } from '../../helpers/mock-upstream.js';
import type { Finish, RecordedFixtures, SeenToolCall, Turn, UpstreamDialect, UpstreamErrorCase, UpstreamTurn } from './matrix-types.js';
import { sseData } from './upstream-dialects.js';

/*
 * Cohere's v2 chat wire format (POST /v2/chat), read independently of the gateway's Cohere
 * adapter. The prose Cohere writes before tool calls (`tool_plan`) is text a client sees.
 */

type Json = Record<string, any>;

const COHERE_FINISH: Record<string, Finish> = { COMPLETE: 'stop', STOP_SEQUENCE: 'stop', TOOL_CALL: 'tool-calls', MAX_TOKENS: 'length' };

const parseArguments = (text: string | null | undefined): unknown => (text === null || text === undefined || text.trim() === '' ? {} : JSON.parse(text));

const finishOf = (reason: string | undefined): Finish => (reason === undefined ? 'other:none' : (COHERE_FINISH[reason] ?? `other:${reason}`));

const usageOf = (usage: Json | undefined): Turn['usage'] => (usage?.tokens === undefined ? undefined : { input: usage.tokens.input_tokens, output: usage.tokens.output_tokens });

function cohereTurnFromJson(body: Json): Turn {
  const message: Json = body.message ?? {};
  const content: Json[] = message.content ?? [];
  const usage = usageOf(body.usage);
  return {
    text: (message.tool_plan ?? '') + content.filter((block) => block.type === 'text').map((block) => block.text as string).join(''),
    finish: finishOf(body.finish_reason),
    toolCalls: (message.tool_calls ?? []).map((call: Json) => ({ id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) })),
    ...(usage ? { usage } : {}),
  };
}

function cohereTurnFromStream(events: Json[]): Turn {
  let text = '';
  let finish: Finish = 'other:none';
  let usage: Turn['usage'];
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const event of events) {
    const message: Json = event.delta?.message ?? {};
    switch (event.type) {
      case 'tool-plan-delta':
        text += message.tool_plan ?? '';
        break;
      case 'content-delta':
        if (message.content?.text !== undefined && message.content?.thinking === undefined) text += message.content.text;
        break;
      case 'tool-call-start':
        calls.set(event.index, { id: message.tool_calls.id, name: message.tool_calls.function.name, args: message.tool_calls.function.arguments ?? '' });
        break;
      case 'tool-call-delta':
        calls.get(event.index)!.args += message.tool_calls?.function?.arguments ?? '';
        break;
      case 'message-end':
        finish = finishOf(event.delta?.finish_reason);
        usage = usageOf(event.delta?.usage);
        break;
    }
  }
  return { text, finish, toolCalls: [...calls.values()].map((call) => ({ id: call.id, name: call.name, input: parseArguments(call.args) })), ...(usage ? { usage } : {}) };
}

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return JSON.stringify(content);
  return content.map((block: Json) => (block.type === 'text' ? block.text : JSON.stringify(block.document?.data ?? block))).join('');
}

function cohereError(status: number, message: string, headers: Record<string, string> = {}): MockReply {
  return { status, headers, body: JSON.stringify({ id: '3f1c1a7e-0b8f-4a57-9a44-2e2cbb8d6f10', message }) };
}

export const cohereUpstream: UpstreamDialect = {
  name: 'cohere-v2',
  readTurn(request: RecordedRequest): UpstreamTurn {
    const body = request.json as Json;
    const messages: Json[] = body.messages ?? [];
    const system = messages.filter((message) => message.role === 'system').map((message) => toolResultText(message.content));
    return {
      stream: body.stream === true,
      system: system.length === 0 ? undefined : system.join('\n'),
      maxTokens: body.max_tokens,
      temperature: body.temperature,
      stop: body.stop_sequences,
      toolNames: (body.tools ?? []).map((tool: Json) => tool.function?.name),
      toolResults: messages.filter((message) => message.role === 'tool').map((message) => ({ id: message.tool_call_id, content: toolResultText(message.content) })),
      assistantToolCalls: messages
        .filter((message) => message.role === 'assistant')
        .flatMap((message) => (message.tool_calls ?? []).map((call: Json): SeenToolCall => ({ id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) }))),
    };
  },
  recordedTurn(fixture: string): Turn {
    const text = readFixtureText(fixture);
    return fixture.endsWith('.sse') ? cohereTurnFromStream(sseData(text)) : cohereTurnFromJson(JSON.parse(text) as Json);
  },
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures) {
    switch (errorCase) {
      case 'rate-limit':
        return { reply: cohereError(429, "You are using a Trial key, which is limited to 10 API calls / minute. You can continue to use the Trial key for free or upgrade to a Production key with higher rate limits at 'https://dashboard.cohere.com/api-keys'.", { 'retry-after': '7' }) };
      case 'authentication':
        return { reply: cohereError(401, 'invalid api token') };
      case 'bad-request':
        return { reply: cohereError(400, "invalid request: message must be at least 1 token long or tool results must be specified.") };
      case 'overloaded':
        return { reply: cohereError(503, 'service unavailable, please try again later') };
      case 'mid-stream': {
        // The recorded stream, cut off after its first three events: the connection drops mid-answer.
        const head = `${readFixtureText(fixtures.stream).split('\n\n').slice(0, 3).join('\n\n')}\n\n`;
        return { reply: { status: 200, headers: { 'content-type': 'text/event-stream' }, body: head, dieAfterBytes: Buffer.byteLength(head) }, canonical: { code: 'upstream_unreachable', status: 502 } };
      }
    }
  },
};
