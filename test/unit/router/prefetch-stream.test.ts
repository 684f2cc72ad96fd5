import { describe, expect, it } from 'vitest';
import { GatewayError, type StreamEvent } from '../../../src/core/index.js';
import { prefetchCanonical, prefetchRaw } from '../../../src/pipeline/prefetch-stream.js';

async function* batches(list: StreamEvent[][], stallAfter?: number): AsyncGenerator<StreamEvent[]> {
  let index = 0;
  for (const batch of list) {
    if (stallAfter !== undefined && index++ === stallAfter) await new Promise(() => undefined);
    yield batch;
  }
}

const failure = new GatewayError({ code: 'stream_error', status: 502, retryable: true, message: 'broken' });
const options = (abort: (error: Error) => void = () => undefined, firstTokenMs?: number) => ({ provider: 'p', firstTokenMs, abort });

describe('prefetch until the first content', () => {
  it('buffers metadata and block starts, and returns once content arrives', async () => {
    const first = await prefetchCanonical(
      batches([[{ type: 'response-metadata', id: 'x' }], [{ type: 'text-start', id: 't' }], [{ type: 'text-delta', id: 't', delta: 'Hi' }], [{ type: 'text-end', id: 't' }]]),
      options(),
    );
    expect(first.map((event) => event.type)).toEqual(['response-metadata', 'text-start', 'text-delta']);
  });

  it('throws an error that comes before the content (so the attempt can fail over)', async () => {
    await expect(prefetchCanonical(batches([[{ type: 'response-metadata' }], [{ type: 'error', error: failure }]]), options())).rejects.toBe(failure);
  });

  it('keeps an error that follows content in the same batch (it is sent after commit)', async () => {
    const first = await prefetchCanonical(batches([[{ type: 'text-delta', id: 't', delta: 'Hi' }, { type: 'error', error: failure }]]), options());
    expect(first.map((event) => event.type)).toEqual(['text-delta', 'error']);
  });

  it('fails with a first-token timeout and aborts the upstream request', async () => {
    const aborted: Error[] = [];
    const error = await prefetchCanonical(batches([[{ type: 'response-metadata' }], [{ type: 'text-delta', id: 't', delta: 'late' }]], 1), options((reason) => aborted.push(reason), 30)).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true, upstream: { code: 'first_token_timeout' } });
    expect(aborted).toEqual([error]);
  });

  it('raw streams: waits for the side parser to see content, throws an error event seen before it', async () => {
    const progress = { content: false, upstreamError: undefined as string | undefined };
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('role');
      progress.content = true;
      yield Buffer.from('content');
      yield Buffer.from('rest');
    }
    expect((await prefetchRaw(chunks(), progress, options()))!.toString()).toBe('rolecontent');
    const failing = { content: false, upstreamError: undefined as string | undefined };
    async function* failingChunks(): AsyncGenerator<Buffer> {
      failing.upstreamError = '{"error":{}}';
      yield Buffer.from('data: {"error":{}}\n\n');
    }
    await expect(prefetchRaw(failingChunks(), failing, options())).rejects.toMatchObject({ code: 'stream_error' });
  });
});
