import type { ChatRequest, Citation, FinishEvent, GatewayError, StreamEvent, TokenLogprob, Usage } from '../../core/index.js';
import { SSE_HEADERS } from '../../transport/sse-writer.js';
import type { StreamEncoder, StreamEncoderInfo } from '../surface.js';
import { citationSources, functionCallPart } from './encode-genai-parts.js';
import { genAiErrorObject } from './encode-genai-error.js';
import { encodeGenAiLogprobs } from './encode-genai-response.js';
import { encodeGenAiUsage } from './encode-genai-usage.js';
import { mapFinishReasonToGemini } from './map-finish-reason-to-gemini.js';

type Json = Record<string, unknown>;

/** Gemini frames its stream with CRLF; clients accept either, so the gateway answers alike. */
function frame(body: Json): string {
  return `data: ${JSON.stringify(body)}\r\n\r\n`;
}

/**
 * Canonical events → streamGenerateContent (alt=sse) chunks, each a whole
 * GenerateContentResponse as Gemini sends them: text and thought deltas as parts, tool calls as
 * whole functionCall parts (arguments are collected until the call is complete), usage on
 * every chunk once known; citations and token log probabilities are gathered into the finish
 * chunk of their candidate. The finish chunks are written at the end, so usage that a provider
 * reports after its finish reason (OpenAI) still reaches them; their content is one empty text
 * part, as Gemini's own last chunk often is (the GenAI SDK treats chunks without parts as
 * invalid and would drop the turn from chat history).
 */
export class GenAiStreamEncoder implements StreamEncoder {
  readonly headers = SSE_HEADERS;
  private readonly info: StreamEncoderInfo;
  private id: string | undefined;
  private model: string | undefined;
  private usage: Usage | undefined;
  private readonly pendingSignature = new Map<number, string>();
  private readonly reasoningWithText = new Set<string>();
  private readonly citations = new Map<number, Citation[]>();
  private readonly logprobs = new Map<number, TokenLogprob[]>();
  private readonly finishes: FinishEvent[] = [];

  constructor(_request: ChatRequest, info: StreamEncoderInfo) {
    this.info = info;
  }

  encode(event: StreamEvent): string {
    const choice = event.choice ?? 0;
    switch (event.type) {
      case 'response-metadata':
        this.id ??= event.id;
        this.model ??= event.model;
        return '';
      case 'text-delta':
        return this.chunk(choice, [{ text: event.delta }]);
      case 'refusal-delta':
        return this.chunk(choice, [{ text: event.delta }]);
      case 'reasoning-delta':
        this.reasoningWithText.add(`${choice}:${event.id}`);
        return this.chunk(choice, [{ text: event.delta, thought: true }]);
      case 'reasoning-signature':
        if (this.reasoningWithText.has(`${choice}:${event.id}`)) return this.chunk(choice, [{ text: '', thought: true, thoughtSignature: event.signature }]);
        this.pendingSignature.set(choice, event.signature);
        return '';
      case 'tool-call':
        return this.chunk(choice, [functionCallPart(event.id, event.name, event.arguments, event.providerMetadata)]);
      case 'citation': {
        const list = this.citations.get(choice) ?? [];
        list.push(event.citation);
        this.citations.set(choice, list);
        return '';
      }
      case 'logprobs': {
        const list = this.logprobs.get(choice) ?? [];
        list.push(...(event.content ?? []));
        this.logprobs.set(choice, list);
        return '';
      }
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finishes.push(event);
        return '';
      case 'error':
        return this.error(event.error);
      default:
        return '';
    }
  }

  end(): string {
    let out = '';
    for (const event of this.finishes) {
      const choice = event.choice ?? 0;
      const metadata = { ...event.providerMetadata?.gemini };
      const otherParts = Array.isArray(metadata.otherParts) ? (metadata.otherParts as Json[]) : [];
      delete metadata.otherParts;
      const signature = this.pendingSignature.get(choice);
      this.pendingSignature.delete(choice);
      const parts: Json[] = otherParts.length > 0 ? otherParts : [{ text: '' }];
      if (signature !== undefined) parts[0] = { ...parts[0], thoughtSignature: signature };
      const candidate: Json = { content: { parts, role: 'model' }, finishReason: mapFinishReasonToGemini(event.finishReason), index: choice };
      const citations = this.citations.get(choice);
      if (citations !== undefined && metadata.citationMetadata === undefined) candidate.citationMetadata = { citationSources: citationSources(citations) };
      const logprobs = this.logprobs.get(choice);
      if (logprobs !== undefined) candidate.logprobsResult = encodeGenAiLogprobs({ content: logprobs });
      out += frame(this.envelope([{ ...candidate, ...metadata }]));
    }
    return out;
  }

  error(error: GatewayError): string {
    return frame({ error: genAiErrorObject(error) });
  }

  private envelope(candidates: Json[]): Json {
    const body: Json = { candidates };
    if (this.usage !== undefined) body.usageMetadata = encodeGenAiUsage(this.usage);
    body.modelVersion = this.model || this.info.model;
    body.responseId = this.id || this.info.requestId;
    return body;
  }

  private chunk(choice: number, parts: Json[]): string {
    const signature = this.pendingSignature.get(choice);
    if (signature !== undefined) {
      this.pendingSignature.delete(choice);
      if (parts[0]?.thoughtSignature === undefined) parts[0] = { ...parts[0], thoughtSignature: signature };
      else parts.unshift({ text: '', thoughtSignature: signature });
    }
    return frame(this.envelope([{ content: { parts, role: 'model' }, index: choice }]));
  }
}
