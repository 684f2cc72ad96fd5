import type { StreamEvent } from '../../../../src/core/index.js';
import { GeminiStreamDecoder } from '../../../../src/providers/gemini/gemini-stream-decoder.js';
import { SseParser } from '../../../../src/transport/sse-parser.js';

/** Deterministic call ids: call_1, call_2, ... */
export function sequentialIds(): () => string {
  let next = 0;
  return () => `call_${++next}`;
}

/** Feed byte pieces through the SSE parser into a fresh Gemini decoder; collect the events. */
export function decodeGeminiStream(pieces: Buffer[], provider = 'gemini'): StreamEvent[] {
  const events: StreamEvent[] = [];
  const emit = (event: StreamEvent): void => {
    events.push(event);
  };
  const decoder = new GeminiStreamDecoder(provider, sequentialIds());
  const parser = new SseParser((event) => {
    if (event !== null) decoder.push(event, emit);
  });
  for (const piece of pieces) parser.push(piece);
  parser.end();
  decoder.end(emit);
  return events;
}

/** A compact, readable view of an event list for snapshots (long strings shortened). */
export function summarize(events: StreamEvent[]): string[] {
  const short = (value: string): string => (value.length > 48 ? `${value.slice(0, 24)}…${value.slice(-12)}(${value.length})` : value);
  return events.map((event) => {
    const tag = event.choice === undefined ? '' : `[${event.choice}]`;
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-input-delta':
        return `${event.type}${tag} ${short(event.id)} ${JSON.stringify(short(event.delta))}`;
      case 'reasoning-signature':
        return `${event.type}${tag} ${event.id} ${short(event.signature)}`;
      case 'tool-input-start':
        return `${event.type}${tag} ${short(event.id)} ${event.name}`;
      case 'tool-call':
        return `${event.type}${tag} ${short(event.id)} ${event.name} ${event.arguments}${event.providerMetadata ? ' +signature' : ''}`;
      case 'usage':
        return `usage in=${event.usage.inputTokens} out=${event.usage.outputTokens} reasoning=${event.usage.reasoningTokens} cached=${event.usage.cacheReadTokens} total=${event.usage.totalTokens}`;
      case 'finish':
        return `finish${tag} ${event.finishReason.unified}/${event.finishReason.raw}${event.providerMetadata ? ` ${Object.keys(event.providerMetadata.gemini ?? {}).join(',')}` : ''}`;
      case 'error':
        return `error ${event.error.code} ${event.error.status} retryable=${event.error.retryable}${event.error.retryAfterMs === undefined ? '' : ` after=${event.error.retryAfterMs}`}`;
      case 'response-metadata':
        return `metadata ${event.id} ${event.model}${event.created === undefined ? '' : ` ${event.created}`}`;
      case 'citation':
        return `citation ${event.id} ${event.citation.url}`;
      default:
        return `${event.type}${tag} ${'id' in event && typeof event.id === 'string' ? short(event.id) : ''}`;
    }
  });
}

/** Collapse consecutive usage lines to the last one (Gemini repeats usage on every chunk). */
export function lastUsageOnly(lines: string[]): string[] {
  return lines.filter((line, index) => !(line.startsWith('usage') && lines.slice(index + 1).some((later) => later.startsWith('usage'))));
}
