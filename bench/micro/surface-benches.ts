/**
 * Per surface (OpenAI chat, Anthropic Messages, Google GenAI, Bedrock Converse, Cohere v2,
 * OpenAI Responses), the three pieces of work a surface adds to a request, on recorded traffic:
 *  - decode: the client's request body (a recorded request of that dialect, bytes) →
 *    JSON.parse → the surface's decoder → canonical request;
 *  - encode a response: one canonical response (text and two tool calls, with usage: the
 *    recorded openai-chat/parallel-tool-calls.json decoded) → the surface's JSON body;
 *  - encode a stream: the canonical events of a recorded text stream
 *    (openai-chat/stream-text-with-usage.sse decoded) → a new stream encoder, every event, end.
 * The same canonical response and stream for every surface, so the numbers compare surfaces.
 */
import { bench, group, summary } from 'mitata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { anthropicSurface } from '../../src/api/anthropic/anthropic-surface.js';
import { converseStreamSurface } from '../../src/api/bedrock/converse-surface.js';
import { cohereSurface } from '../../src/api/cohere/cohere-surface.js';
import { genAiStreamSurface } from '../../src/api/genai/genai-surface.js';
import { openAiSurface } from '../../src/api/openai/openai-surface.js';
import { createResponsesSurface } from '../../src/api/responses/responses-surface.js';
import type { ChatSurface, DecodedChatRequest, SurfaceRequestInfo } from '../../src/api/surface.js';
import type { StreamEvent } from '../../src/core/index.js';
import type { RequestContext } from '../../src/pipeline/request-context.js';
import { decodeOpenAiChatResponse } from '../../src/providers/openai/decode-openai-chat-response.js';
import { OpenAiChatStreamDecoder } from '../../src/providers/openai/openai-chat-stream-decoder.js';
import { SseParser } from '../../src/transport/sse-parser.js';
import { ROOT } from '../targets.js';

const fixture = (name: string): Buffer => readFileSync(path.join(ROOT, 'test/fixtures/providers', name));

/** The canonical events of a recorded stream, decoded once. */
function canonicalStream(name: string): StreamEvent[] {
  const events: StreamEvent[] = [];
  const decoder = new OpenAiChatStreamDecoder('openai');
  const parser = new SseParser((event) => {
    if (event) decoder.push(event, (decoded) => events.push(decoded));
  });
  parser.push(fixture(name));
  parser.end();
  decoder.end((decoded) => events.push(decoded));
  return events;
}

const response = decodeOpenAiChatResponse(JSON.parse(fixture('openai-chat/parallel-tool-calls.json').toString()), 'openai');
const streamEvents = canonicalStream('openai-chat/stream-text-with-usage.sse');
const streamInfo = { requestId: 'req-bench', model: 'gpt-4o-mini', startedAt: 0 };

interface SurfaceCase {
  name: string;
  surface: ChatSurface;
  /** A recorded request body in the surface's dialect. */
  request: string;
  params?: Record<string, string>;
}

/** Responses keeps per-request state set in its prepare step; no store is needed without previous_response_id. */
const responsesSurface = createResponsesSurface({
  runtime: undefined as never,
  store: undefined as never,
  maxChain: 100,
  pending: new Map(),
});

const CASES: SurfaceCase[] = [
  { name: 'OpenAI chat', surface: openAiSurface, request: 'openai-chat/stream-tool-call-with-usage.request.json' },
  { name: 'Anthropic Messages', surface: anthropicSurface, request: 'anthropic-messages/tool-use.request.json' },
  {
    name: 'Google GenAI',
    surface: genAiStreamSurface,
    request: 'gemini/stream-function-call.request.json',
    params: { model: 'gemini-2.5-flash' },
  },
  {
    name: 'Bedrock Converse',
    surface: converseStreamSurface,
    request: 'bedrock-converse/converse-stream-tool-use.request.json',
    params: { modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
  },
  { name: 'Cohere v2', surface: cohereSurface, request: 'cohere/thinking-non-stream.request.json' },
  { name: 'OpenAI Responses', surface: responsesSurface, request: 'openai-responses/function-call.request.json' },
];

async function prepared(surface: ChatSurface, decoded: DecodedChatRequest): Promise<void> {
  const context = { record: { principal: undefined }, state: new Map() } as unknown as RequestContext;
  await surface.prepareChatRequest?.(decoded, context);
}

/** Each surface's own canonical request (the encoders read it: echoed parameters, names). */
const decodedBySurface = new Map<string, DecodedChatRequest>();
for (const entry of CASES) {
  const info: SurfaceRequestInfo = { headers: {}, params: entry.params ?? {}, query: undefined };
  const decoded = entry.surface.decodeChatRequest(JSON.parse(fixture(entry.request).toString()), info);
  await prepared(entry.surface, decoded);
  decodedBySurface.set(entry.name, decoded);
}

export function registerSurfaceBenches(): void {
  summary(() => {
    group('surfaces: decode a recorded request (bytes → canonical)', () => {
      for (const entry of CASES) {
        const bytes = fixture(entry.request);
        const info: SurfaceRequestInfo = { headers: {}, params: entry.params ?? {}, query: undefined };
        bench(`${entry.name} (${bytes.length} B)`, () => entry.surface.decodeChatRequest(JSON.parse(bytes.toString()), info));
      }
    });
  });
  summary(() => {
    group('surfaces: encode a response (text + 2 tool calls + usage)', () => {
      for (const entry of CASES) {
        const request = decodedBySurface.get(entry.name)!.request;
        bench(entry.name, () => entry.surface.encodeChatResponse(response, request, streamInfo));
      }
    });
  });
  summary(() => {
    group(`surfaces: encode a stream (${streamEvents.length} canonical events of a recorded text stream)`, () => {
      for (const entry of CASES) {
        const request = decodedBySurface.get(entry.name)!.request;
        bench(entry.name, () => {
          const encoder = entry.surface.createStreamEncoder(request, streamInfo);
          let bytes = 0;
          for (const event of streamEvents) bytes += encoder.encode(event).length;
          return bytes + encoder.end().length;
        });
      }
    });
  });
}
