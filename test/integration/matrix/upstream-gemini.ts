import { readFixtureText } from '../../helpers/fixtures.js';
import { fixtureReply, type MockReply, type RecordedRequest } from '../../helpers/mock-upstream.js';
import type { Finish, RecordedFixtures, SeenToolCall, Turn, UpstreamDialect, UpstreamErrorCase, UpstreamTurn } from './matrix-types.js';
import { sseData } from './upstream-dialects.js';

/*
 * Gemini's generateContent wire format (the Gemini API and Gemini on Vertex AI), read
 * independently of the gateway's Gemini adapter.
 *
 * Gemini function calls carry no ids: what identifies a call on the wire is its name, its
 * position and — on Gemini 2.5+ — the opaque `thoughtSignature` that must come back on the same
 * part. So a call's `id` here is its thought signature ('' when unsigned): the matrix then checks
 * that every surface brought the signature back to Gemini, and pairs tool results by name.
 */

type Json = Record<string, any>;

const GEMINI_FINISH: Record<string, Finish> = { STOP: 'stop', MAX_TOKENS: 'length' };

function finishOf(reason: string | undefined, calls: number): Finish {
  if (reason === undefined) return 'other:none';
  // Gemini says STOP for a turn that made function calls, too.
  if (reason === 'STOP' && calls > 0) return 'tool-calls';
  return GEMINI_FINISH[reason] ?? `other:${reason}`;
}

function usageOf(metadata: Json | undefined): Turn['usage'] {
  if (metadata?.promptTokenCount === undefined) return undefined;
  return { input: metadata.promptTokenCount, output: (metadata.candidatesTokenCount ?? 0) + (metadata.thoughtsTokenCount ?? 0) };
}

/** Vertex `streamFunctionCallArguments`: a call's arguments arrive as JSON paths, one value at a time. */
function applyPartialArgs(target: Json, partialArgs: Json[]): void {
  for (const partial of partialArgs) {
    const key = String(partial.jsonPath).replace(/^\$\./, '');
    const value = partial.stringValue ?? partial.numberValue ?? partial.boolValue ?? partial.nullValue ?? null;
    target[key] = typeof value === 'string' && typeof target[key] === 'string' ? target[key] + value : value;
  }
}

/** The answer of a list of GenerateContentResponse objects (one for a plain reply, many for a stream). */
function geminiTurn(responses: Json[]): Turn {
  let text = '';
  let reason: string | undefined;
  let usage: Turn['usage'];
  const calls: SeenToolCall[] = [];
  let open: SeenToolCall | undefined;
  for (const response of responses) {
    usage = usageOf(response.usageMetadata) ?? usage;
    const candidate = response.candidates?.[0];
    if (candidate === undefined) continue;
    for (const part of candidate.content?.parts ?? []) {
      if (typeof part.text === 'string' && part.thought !== true) text += part.text;
      const call = part.functionCall;
      if (call === undefined) continue;
      if (call.name !== undefined) {
        open = { id: part.thoughtSignature ?? '', name: call.name, input: call.args ?? {} };
        calls.push(open);
      }
      if (call.partialArgs !== undefined && open !== undefined) applyPartialArgs(open.input as Json, call.partialArgs);
      // An empty functionCall closes a streamed call.
      if (call.name === undefined && call.partialArgs === undefined) open = undefined;
    }
    if (candidate.finishReason !== undefined) reason = candidate.finishReason;
  }
  return { text, finish: finishOf(reason, calls.length), toolCalls: calls, ...(usage ? { usage } : {}) };
}

const partsOf = (contents: Json[], role: string): Json[] => contents.filter((content) => (content.role ?? 'user') === role).flatMap((content) => (content.parts ?? []) as Json[]);

function toolResultContent(response: Json | undefined): string {
  // Google's documented keys: "output" for a result, "error" for a failure.
  if (typeof response?.output === 'string') return response.output;
  return JSON.stringify(response ?? {});
}

function geminiError(status: number, rpcStatus: string, message: string, headers: Record<string, string> = {}): MockReply {
  return { status, headers, body: JSON.stringify({ error: { code: status, message, status: rpcStatus } }) };
}

export const geminiUpstream: UpstreamDialect = {
  name: 'gemini',
  generatedToolCallIds: true,
  resultKey: (call) => call.name,
  readTurn(request: RecordedRequest): UpstreamTurn {
    const body = request.json as Json;
    const contents: Json[] = body.contents ?? [];
    const config: Json = body.generationConfig ?? {};
    const systemParts: Json[] = body.systemInstruction?.parts ?? [];
    return {
      stream: request.path.endsWith(':streamGenerateContent'),
      system: systemParts.length === 0 ? undefined : systemParts.map((part) => part.text ?? '').join(''),
      maxTokens: config.maxOutputTokens,
      temperature: config.temperature,
      stop: config.stopSequences,
      toolNames: (body.tools ?? []).flatMap((tool: Json) => (tool.functionDeclarations ?? []).map((declaration: Json) => declaration.name)),
      toolResults: partsOf(contents, 'user')
        .filter((part) => part.functionResponse !== undefined)
        .map((part) => ({ id: part.functionResponse.name, content: toolResultContent(part.functionResponse.response) })),
      assistantToolCalls: partsOf(contents, 'model')
        .filter((part) => part.functionCall !== undefined)
        .map((part) => ({ id: part.thoughtSignature ?? '', name: part.functionCall.name, input: part.functionCall.args ?? {} })),
    };
  },
  recordedTurn(fixture: string): Turn {
    const text = readFixtureText(fixture);
    return geminiTurn(fixture.endsWith('.sse') ? sseData(text) : [JSON.parse(text) as Json]);
  },
  errorReply(errorCase: UpstreamErrorCase, fixtures: RecordedFixtures) {
    switch (errorCase) {
      case 'rate-limit':
        // The recorded answer: RetryInfo says 34.4s, which the client sees rounded up.
        return { reply: fixtureReply('gemini/error-429-resource-exhausted-retry-info.json', { status: 429 }), type: 'RESOURCE_EXHAUSTED', retryAfter: '35' };
      case 'authentication':
        return { reply: geminiError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'), type: 'UNAUTHENTICATED' };
      case 'bad-request':
        return { reply: fixtureReply('gemini/vertex-error-400-invalid-argument.json', { status: 400 }), type: 'INVALID_ARGUMENT' };
      case 'overloaded':
        return { reply: geminiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'), type: 'UNAVAILABLE' };
      case 'mid-stream': {
        // The recorded stream, cut off after its first event: the connection drops mid-answer.
        const head = `${readFixtureText(fixtures.stream).split(/\r?\n\r?\n/)[0]!}\r\n\r\n`;
        return { reply: { status: 200, headers: { 'content-type': 'text/event-stream' }, body: head, dieAfterBytes: Buffer.byteLength(head) }, canonical: { code: 'upstream_unreachable', status: 502 } };
      }
    }
  },
};
