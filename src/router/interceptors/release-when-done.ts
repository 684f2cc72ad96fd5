import type { RequestContext } from '../../pipeline/request-context.js';

/**
 * Run `release` when the request no longer uses what an attempt holds (a provider slot, an
 * in-flight count): at once for a complete answer, when the response ends for a stream.
 */
export function releaseWhenDone(context: RequestContext, release: () => void): void {
  const response = context.response;
  if (!context.record.stream || context.isFinished || response.destroyed || response.writableFinished) {
    release();
    return;
  }
  response.once('close', release);
}
