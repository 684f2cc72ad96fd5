import { GatewayError, type StreamEvent } from '../core/index.js';
import { scheduleCoarse } from '../router/coarse-timers.js';

/** Events that mean the answer has begun; until one arrives the stream is not committed. */
const CONTENT_EVENTS = new Set<StreamEvent['type']>([
  'text-delta',
  'reasoning-delta',
  'reasoning-signature',
  'tool-input-start',
  'tool-input-delta',
  'tool-call',
  'refusal-delta',
  'citation',
  'logprobs',
  'finish',
]);

export interface PrefetchOptions {
  provider: string;
  /** Fail the attempt when no content arrived within this many milliseconds (off when undefined). */
  firstTokenMs: number | undefined;
  /** Abort the upstream request (the first-token timeout passed). */
  abort(error: GatewayError): void;
}

function firstTokenError(provider: string, ms: number): GatewayError {
  return new GatewayError({
    code: 'upstream_timeout',
    status: 504,
    retryable: true,
    message: `Provider "${provider}" sent no content within the first-token timeout of ${Math.round(ms)} ms`,
    upstream: { provider, code: 'first_token_timeout' },
  });
}

/** Race `next` against the first-token timer; a lost race aborts the upstream request. */
function withTimeout<T>(next: Promise<T>, deadline: Promise<never> | undefined): Promise<T> {
  if (deadline === undefined) return next;
  next.catch(() => undefined);
  return Promise.race([next, deadline]);
}

function firstTokenTimer(options: PrefetchOptions): { expired: Promise<never>; cancel(): void } | undefined {
  const ms = options.firstTokenMs;
  if (ms === undefined) return undefined;
  let fail: (error: GatewayError) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => {
    fail = reject;
  });
  expired.catch(() => undefined);
  const timer = scheduleCoarse(ms, () => {
    const error = firstTokenError(options.provider, ms);
    options.abort(error);
    fail(error);
  });
  return { expired, cancel: () => timer.cancel() };
}

/**
 * Pull a canonical stream until its first content event, before anything is sent to the client.
 * A stream that fails (error event, broken connection, idle timeout) or stays silent past the
 * first-token timeout this early can still go to the next target; after commit it never is.
 */
export async function prefetchCanonical(iterator: AsyncIterator<StreamEvent[]>, options: PrefetchOptions): Promise<StreamEvent[]> {
  const buffered: StreamEvent[] = [];
  const timer = firstTokenTimer(options);
  try {
    for (;;) {
      const next = await withTimeout(iterator.next(), timer?.expired);
      if (next.done) return buffered;
      let content = false;
      for (const event of next.value) {
        if (event.type === 'error' && !content) {
          void iterator.return?.(undefined)?.catch(() => undefined);
          throw event.error;
        }
        buffered.push(event);
        if (CONTENT_EVENTS.has(event.type)) content = true;
      }
      if (content) return buffered;
    }
  } finally {
    timer?.cancel();
  }
}

/** What the passthrough side parser has seen so far. */
export interface RawStreamProgress {
  content: boolean;
  /** The provider sent an error event, or a first content event that is not JSON (its data). */
  upstreamError: string | undefined;
}

/**
 * Pull a passthrough byte stream until the side parser saw content (see prefetchCanonical).
 * Returns the bytes to send first, undefined for an empty stream.
 */
export async function prefetchRaw(iterator: AsyncIterator<Buffer>, progress: RawStreamProgress, options: PrefetchOptions): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  const timer = firstTokenTimer(options);
  try {
    for (;;) {
      const next = await withTimeout(iterator.next(), timer?.expired);
      if (!next.done) chunks.push(next.value);
      if (progress.upstreamError !== undefined && !progress.content) {
        void iterator.return?.(undefined)?.catch(() => undefined);
        throw new GatewayError({
          code: 'stream_error',
          status: 502,
          retryable: true,
          message: `Provider "${options.provider}" sent an error or a malformed event before any content`,
          upstream: { provider: options.provider, body: progress.upstreamError.slice(0, 1024) },
        });
      }
      if (next.done || progress.content) break;
    }
  } finally {
    timer?.cancel();
  }
  if (chunks.length === 0) return undefined;
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}
