import { encodeEventStreamEvent, encodeEventStreamException } from '../../../src/transport/aws-eventstream.js';
import { readFixture, readFixtureText } from '../../helpers/fixtures.js';
import { bedrockError } from '../../helpers/mock-bedrock.js';
import { fixtureReply, type MockReply, type RecordedRequest } from '../../helpers/mock-upstream.js';
import type { Finish, RecordedFixtures, SeenToolCall, Turn, UpstreamDialect, UpstreamErrorCase, UpstreamTurn } from './matrix-types.js';
import { anthropicMessagesUpstream, anthropicTurnFromStream, sseData } from './upstream-dialects.js';

/*
 * Amazon Bedrock as the matrix's mocks see it: Converse / ConverseStream (JSON bodies, binary
 * event-stream answers), and Claude through InvokeModel / InvokeModelWithResponseStream (the
 * Anthropic Messages body behind Bedrock's transport; streamed events travel base64-encoded in
 * `chunk` event-stream messages). Recorded streams are read from the decoded `.events.jsonl`
 * view next to each `.eventstream` recording, not with the gateway's decoder.
 */

type Json = Record<string, any>;

const CONVERSE_FINISH: Record<string, Finish> = { end_turn: 'stop', stop_sequence: 'stop', tool_use: 'tool-calls', max_tokens: 'length' };

const parseInput = (text: string): unknown => (text.trim() === '' ? {} : JSON.parse(text));

/** The frames of a recorded event stream, as decoded next to it (`X.eventstream` → `X.events.jsonl`). */
function recordedFrames(fixture: string): Json[] {
  return readFixtureText(fixture.replace(/\.eventstream$/, '.events.jsonl'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

/** A recorded event stream cut after its first `frames` messages (each frame starts with its total length). */
function headFrames(fixture: string, frames: number): Buffer {
  const bytes = readFixture(fixture);
  let offset = 0;
  for (let i = 0; i < frames; i++) offset += bytes.readUInt32BE(offset);
  return bytes.subarray(0, offset);
}

function eventStream(body: Buffer): MockReply {
  return { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, body, chunkSize: 41, randomChunks: true };
}

const textOf = (blocks: Json[]): string =>
  blocks
    .filter((block) => typeof block.text === 'string')
    .map((block) => block.text as string)
    .join('');

const signaturesOf = (blocks: Json[]): string[] => blocks.flatMap((block) => (typeof block.reasoningContent?.reasoningText?.signature === 'string' ? [block.reasoningContent.reasoningText.signature as string] : []));

function converseTurnFromJson(body: Json): Turn {
  const content: Json[] = body.output?.message?.content ?? [];
  return {
    reasoningSignatures: signaturesOf(content),
    text: textOf(content),
    finish: CONVERSE_FINISH[body.stopReason] ?? `other:${body.stopReason}`,
    toolCalls: content.filter((block) => block.toolUse !== undefined).map((block) => ({ id: block.toolUse.toolUseId, name: block.toolUse.name, input: block.toolUse.input })),
    usage: { input: body.usage.inputTokens, output: body.usage.outputTokens },
  };
}

function converseTurnFromFrames(frames: Json[]): Turn {
  let text = '';
  let finish: Finish = 'other:none';
  let usage: Turn['usage'];
  const calls = new Map<number, { id: string; name: string; args: string }>();
  for (const frame of frames) {
    const payload: Json = frame.payload;
    switch (frame[':event-type']) {
      case 'contentBlockStart':
        if (payload.start?.toolUse) calls.set(payload.contentBlockIndex, { id: payload.start.toolUse.toolUseId, name: payload.start.toolUse.name, args: '' });
        break;
      case 'contentBlockDelta':
        if (typeof payload.delta?.text === 'string') text += payload.delta.text;
        if (payload.delta?.toolUse) calls.get(payload.contentBlockIndex)!.args += payload.delta.toolUse.input;
        break;
      case 'messageStop':
        finish = CONVERSE_FINISH[payload.stopReason] ?? `other:${payload.stopReason}`;
        break;
      case 'metadata':
        usage = { input: payload.usage.inputTokens, output: payload.usage.outputTokens };
        break;
    }
  }
  return { text, finish, toolCalls: [...calls.values()].map((call) => ({ id: call.id, name: call.name, input: parseInput(call.args) })), ...(usage ? { usage } : {}) };
}

const blocksOf = (body: Json, role: string): Json[] => (body.messages ?? []).filter((message: Json) => message.role === role).flatMap((message: Json) => message.content as Json[]);

function toolResultText(content: Json[]): string {
  return content.map((block) => (typeof block.text === 'string' ? block.text : JSON.stringify(block.json ?? block))).join('');
}

export const bedrockConverseUpstream: UpstreamDialect = {
  name: 'bedrock-converse',
  readTurn(request: RecordedRequest): UpstreamTurn {
    const body = request.json as Json;
    const inference: Json = body.inferenceConfig ?? {};
    const system: Json[] = body.system ?? [];
    return {
      stream: request.path.endsWith('/converse-stream'),
      system: system.length === 0 ? undefined : textOf(system),
      maxTokens: inference.maxTokens,
      temperature: inference.temperature,
      stop: inference.stopSequences,
      toolNames: (body.toolConfig?.tools ?? []).map((tool: Json) => tool.toolSpec?.name),
      toolResults: blocksOf(body, 'user')
        .filter((block) => block.toolResult !== undefined)
        .map((block) => ({ id: block.toolResult.toolUseId, content: toolResultText(block.toolResult.content ?? []) })),
      assistantToolCalls: blocksOf(body, 'assistant')
        .filter((block) => block.toolUse !== undefined)
        .map((block): SeenToolCall => ({ id: block.toolUse.toolUseId, name: block.toolUse.name, input: block.toolUse.input })),
      assistantReasoningSignatures: signaturesOf(blocksOf(body, 'assistant')),
    };
  },
  recordedTurn(fixture: string): Turn {
    return fixture.endsWith('.eventstream') ? converseTurnFromFrames(recordedFrames(fixture)) : converseTurnFromJson(JSON.parse(readFixtureText(fixture)) as Json);
  },
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures) {
    switch (errorCase) {
      case 'rate-limit':
        return { reply: bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'retry-after': '7' }), type: 'ThrottlingException' };
      case 'authentication': {
        // The recorded answer: an expired session token is a 403 ExpiredTokenException, an authentication failure (401) for the gateway.
        return { reply: bedrockError(403, 'ExpiredTokenException', JSON.parse(readFixtureText('bedrock-converse/error-403-expired-token.json')).message), type: 'ExpiredTokenException', status: 401 };
      }
      case 'bad-request':
        return { reply: bedrockError(400, 'ValidationException', JSON.parse(readFixtureText('bedrock-converse/error-400-invalid-model-id.json')).message), type: 'ValidationException' };
      case 'overloaded':
        return { reply: bedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.'), type: 'ServiceUnavailableException' };
      case 'mid-stream': {
        // The recorded stream's first three messages, then the exception message Bedrock sends when the model fails.
        const head = headFrames(fixtures.stream, 3);
        return { reply: eventStream(Buffer.concat([head, encodeEventStreamException('modelStreamErrorException', { message: 'The model stream failed.', originalStatusCode: 500 })])), type: 'ModelStreamErrorException', canonical: { code: 'stream_error', status: 424 } };
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Claude through InvokeModel: the Anthropic Messages body behind Bedrock's transport
// ---------------------------------------------------------------------------------------------

/** The Anthropic events of a recorded invoke stream (`chunk` messages, decoded next to the recording). */
function invokeEvents(fixture: string): Json[] {
  return recordedFrames(fixture)
    .filter((frame) => frame[':event-type'] === 'chunk')
    .map((frame) => frame.bytes_decoded as Json);
}

const chunkFrame = (event: Json): Buffer => encodeEventStreamEvent('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64') });

export const bedrockInvokeUpstream: UpstreamDialect = {
  name: 'bedrock-invoke',
  readTurn(request: RecordedRequest): UpstreamTurn {
    // The body carries no `stream` flag: the operation says it.
    return { ...anthropicMessagesUpstream.readTurn(request), stream: request.path.endsWith('/invoke-with-response-stream') };
  },
  recordedTurn(fixture: string): Turn {
    if (!fixture.endsWith('.eventstream')) return anthropicMessagesUpstream.recordedTurn(fixture);
    return anthropicTurnFromStream(invokeEvents(fixture));
  },
  /**
   * Invoke recordings are replayed as recorded. Anthropic stream recordings (Bedrock serves
   * Claude's own events) are framed as Bedrock frames them: one `chunk` message per event, its
   * JSON base64-encoded in `bytes`.
   */
  reply(fixture: string): MockReply {
    if (fixture.endsWith('.sse')) return eventStream(Buffer.concat(sseData(readFixtureText(fixture)).filter((event) => event.type !== 'ping').map(chunkFrame)));
    return fixtureReply(fixture, fixture.endsWith('.eventstream') ? { chunkSize: 41, randomChunks: true } : {});
  },
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures) {
    if (errorCase !== 'mid-stream') return bedrockConverseUpstream.errorReply(errorCase, fixtures);
    // The recorded stream's first three chunks, then a model stream exception.
    const head = invokeEvents(fixtures.stream).slice(0, 3).map(chunkFrame);
    return { reply: eventStream(Buffer.concat([...head, encodeEventStreamException('modelStreamErrorException', { message: 'The model stream failed.', originalStatusCode: 500 })])), type: 'ModelStreamErrorException', canonical: { code: 'stream_error', status: 424 } };
  },
};
