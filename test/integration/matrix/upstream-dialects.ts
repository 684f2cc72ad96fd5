import { readFixtureText } from '../../helpers/fixtures.js';
import { fixtureReply, type MockReply, type RecordedRequest } from '../../helpers/mock-upstream.js';
import type { Finish, RecordedFixtures, SeenToolCall, Turn, UpstreamDialect, UpstreamErrorCase, UpstreamTurn } from './matrix-types.js';

/*
 * Upstream wire formats as the matrix's mock providers see them: how to read what a request
 * carries (stream flag, tools, tool results sent back) and what a recording answers. Written
 * independently of the gateway's decoders on purpose: these are the expectations.
 */

type Json = Record<string, any>;

/** The `data:` payloads of a recorded event stream, JSON-decoded ([DONE] and pings left out). */
export function sseData(text: string): Json[] {
  const events: Json[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    events.push(JSON.parse(data) as Json);
  }
  return events;
}

function stringContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: Json) => (typeof part === 'string' ? part : (part.text ?? ''))).join('');
  return JSON.stringify(content);
}

const parseArguments = (text: string): unknown => (text.trim() === '' ? {} : JSON.parse(text));

// ---------------------------------------------------------------------------------------------
// OpenAI chat completions (OpenAI and every OpenAI-compatible vendor)
// ---------------------------------------------------------------------------------------------

const OPENAI_FINISH: Record<string, Finish> = { stop: 'stop', tool_calls: 'tool-calls', length: 'length' };

function openAiTurnFromJson(body: Json): Turn {
  const choice = body.choices[0];
  const message = choice.message;
  return {
    text: stringContent(message.content ?? ''),
    finish: OPENAI_FINISH[choice.finish_reason] ?? `other:${choice.finish_reason}`,
    toolCalls: (message.tool_calls ?? []).map((call: Json) => ({ id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) })),
    ...(body.usage ? { usage: { input: body.usage.prompt_tokens, output: body.usage.completion_tokens } } : {}),
  };
}

function openAiTurnFromStream(chunks: Json[]): Turn {
  let text = '';
  let finish: Finish = 'other:none';
  let usage: Turn['usage'];
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const chunk of chunks) {
    if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens };
    const choice = chunk.choices?.[0];
    if (choice === undefined) continue;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string') text += delta.content;
    for (const call of delta.tool_calls ?? []) {
      const index = call.index ?? calls.size;
      const entry = calls.get(index) ?? { id: '', name: '', args: '' };
      if (call.id) entry.id = call.id;
      if (call.function?.name) entry.name = call.function.name;
      entry.args += call.function?.arguments ?? '';
      calls.set(index, entry);
    }
    if (choice.finish_reason) finish = OPENAI_FINISH[choice.finish_reason] ?? `other:${choice.finish_reason}`;
  }
  return {
    text,
    finish,
    toolCalls: [...calls.values()].map((call) => ({ id: call.id, name: call.name, input: parseArguments(call.args) })),
    ...(usage ? { usage } : {}),
  };
}

export const openAiChatUpstream: UpstreamDialect = {
  name: 'openai-chat',
  readTurn(request: RecordedRequest): UpstreamTurn {
    const body = request.json as Json;
    const messages: Json[] = body.messages ?? [];
    const system = messages.filter((message) => message.role === 'system' || message.role === 'developer').map((message) => stringContent(message.content));
    return {
      stream: body.stream === true,
      system: system.length === 0 ? undefined : system.join('\n'),
      maxTokens: body.max_completion_tokens ?? body.max_tokens,
      temperature: body.temperature,
      stop: typeof body.stop === 'string' ? [body.stop] : body.stop,
      toolNames: (body.tools ?? []).map((tool: Json) => tool.function?.name),
      toolResults: messages.filter((message) => message.role === 'tool').map((message) => ({ id: message.tool_call_id, content: stringContent(message.content) })),
      assistantToolCalls: messages
        .filter((message) => message.role === 'assistant')
        .flatMap((message) => (message.tool_calls ?? []).map((call: Json): SeenToolCall => ({ id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) }))),
    };
  },
  recordedTurn(fixture: string): Turn {
    const text = readFixtureText(fixture);
    return fixture.endsWith('.sse') ? openAiTurnFromStream(sseData(text)) : openAiTurnFromJson(JSON.parse(text) as Json);
  },
  errorReply(errorCase: UpstreamErrorCase) {
    switch (errorCase) {
      case 'rate-limit':
        return {
          reply: { status: 429, headers: { 'retry-after': '7' }, body: JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded', param: null } }) },
          type: 'requests',
        };
      case 'authentication':
        return { reply: fixtureReply('openai-chat/error-401-invalid-api-key.json', { status: 401 }), type: 'invalid_request_error' };
      case 'bad-request':
        return { reply: fixtureReply('openai-chat/error-400-unsupported-value.json', { status: 400 }), type: 'invalid_request_error' };
      case 'overloaded':
        return {
          reply: { status: 503, body: JSON.stringify({ error: { message: 'The engine is currently overloaded, please try again later', type: 'server_error', code: null, param: null } }) },
          type: 'server_error',
        };
      case 'mid-stream': {
        // The recorded stream, cut off after its first events: the connection drops mid-answer.
        const head = `${readFixtureText('openai-chat/stream-text.sse').split('\n\n').slice(0, 3).join('\n\n')}\n\n`;
        return { reply: { status: 200, headers: { 'content-type': 'text/event-stream' }, body: head, dieAfterBytes: Buffer.byteLength(head) }, canonical: { code: 'upstream_unreachable', status: 502 } };
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Anthropic Messages (Anthropic, Claude on Vertex)
// ---------------------------------------------------------------------------------------------

const ANTHROPIC_FINISH: Record<string, Finish> = { end_turn: 'stop', tool_use: 'tool-calls', max_tokens: 'length', stop_sequence: 'stop' };

function anthropicTurnFromJson(body: Json): Turn {
  const blocks: Json[] = body.content ?? [];
  return {
    text: blocks
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join(''),
    finish: ANTHROPIC_FINISH[body.stop_reason] ?? `other:${body.stop_reason}`,
    toolCalls: blocks.filter((block) => block.type === 'tool_use').map((block) => ({ id: block.id, name: block.name, input: block.input })),
    usage: { input: body.usage.input_tokens, output: body.usage.output_tokens },
  };
}

/** The answer of Anthropic stream events (Anthropic's own stream, or Claude's events inside Bedrock chunks). */
export function anthropicTurnFromStream(events: Json[]): Turn {
  let text = '';
  let finish: Finish = 'other:none';
  let input = 0;
  let output = 0;
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const event of events) {
    if (event.type === 'message_start') {
      input = event.message.usage.input_tokens;
      output = event.message.usage.output_tokens;
    } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
      calls.set(event.index, { id: event.content_block.id, name: event.content_block.name, args: '' });
    } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
      text += event.delta.text;
    } else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
      calls.get(event.index)!.args += event.delta.partial_json;
    } else if (event.type === 'message_delta') {
      if (event.delta.stop_reason) finish = ANTHROPIC_FINISH[event.delta.stop_reason] ?? `other:${event.delta.stop_reason}`;
      if (event.usage?.output_tokens !== undefined) output = event.usage.output_tokens;
    }
  }
  return { text, finish, toolCalls: [...calls.values()].map((call) => ({ id: call.id, name: call.name, input: parseArguments(call.args) })), usage: { input, output } };
}

function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): MockReply {
  return { status, headers, body: JSON.stringify({ type: 'error', error: { type, message } }) };
}

export const anthropicMessagesUpstream: UpstreamDialect = {
  name: 'anthropic-messages',
  readTurn(request: RecordedRequest): UpstreamTurn {
    const body = request.json as Json;
    const blocks = (role: string): Json[] =>
      (body.messages ?? []).filter((message: Json) => message.role === role && Array.isArray(message.content)).flatMap((message: Json) => message.content as Json[]);
    return {
      stream: body.stream === true,
      system: body.system === undefined ? undefined : stringContent(body.system),
      maxTokens: body.max_tokens,
      temperature: body.temperature,
      stop: body.stop_sequences,
      toolNames: (body.tools ?? []).map((tool: Json) => tool.name),
      toolResults: blocks('user')
        .filter((block) => block.type === 'tool_result')
        .map((block) => ({ id: block.tool_use_id, content: stringContent(block.content) })),
      assistantToolCalls: blocks('assistant')
        .filter((block) => block.type === 'tool_use')
        .map((block) => ({ id: block.id, name: block.name, input: block.input })),
    };
  },
  recordedTurn(fixture: string): Turn {
    const text = readFixtureText(fixture);
    return fixture.endsWith('.sse') ? anthropicTurnFromStream(sseData(text)) : anthropicTurnFromJson(JSON.parse(text) as Json);
  },
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures) {
    switch (errorCase) {
      case 'rate-limit':
        return { reply: anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '7' }), type: 'rate_limit_error' };
      case 'authentication':
        return { reply: fixtureReply('anthropic-messages/error-401-authentication.json', { status: 401 }), type: 'authentication_error' };
      case 'bad-request':
        return { reply: fixtureReply('anthropic-messages/error-400-invalid-request.json', { status: 400 }), type: 'invalid_request_error' };
      case 'overloaded':
        return { reply: anthropicError(529, 'overloaded_error', 'Overloaded'), type: 'overloaded_error' };
      case 'mid-stream': {
        // Anthropic reports a failure after the stream started as an `error` event.
        const head = readFixtureText(fixtures.stream).split('event: content_block_stop')[0]!;
        return {
          reply: { status: 200, headers: { 'content-type': 'text/event-stream' }, body: `${head}event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n` },
          type: 'overloaded_error',
          canonical: { code: 'upstream_overloaded', status: 529 },
        };
      }
    }
  },
};
