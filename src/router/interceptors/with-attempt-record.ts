import { GatewayError, toGatewayError } from '../../core/index.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import type { AttemptRecord } from '../../pipeline/request-record.js';
import type { ProviderKey } from '../../providers/provider-settings.js';
import { ClientAbortError } from '../../transport/map-transport-error.js';
import type { Target } from '../target.js';
import { AttemptCancelledError, type Interceptor } from './dispatch-call.js';

function newEntry(target: Target, key: ProviderKey | undefined, reason: string | undefined): AttemptRecord {
  const entry: AttemptRecord = { provider: target.provider.id, model: target.model, status: 0, latencyMs: 0, outcome: 'error', passthrough: false };
  if (key !== undefined) entry.key = key.name;
  const why = reason ?? (target.reason === 'requested' ? undefined : target.reason);
  if (why !== undefined) entry.reason = why;
  return entry;
}

/** Note a target that was passed over without an upstream call (ejected, no usable key). */
export function recordSkipped(context: RequestContext, target: Target, key: ProviderKey | undefined, reason: string | undefined, errorCode: string): void {
  const entry = newEntry(target, key, reason);
  entry.errorCode = errorCode;
  context.record.attempts.push(entry);
}

/** Mark the attempts still running in a lane that lost a hedge race (before headers are sent). */
export function markCancelled(running: ReadonlyArray<{ entry: AttemptRecord; started: number }>): void {
  const now = performance.now();
  for (const { entry, started } of running) {
    entry.outcome = 'aborted';
    entry.errorCode = 'cancelled';
    entry.latencyMs = now - started;
  }
}

/**
 * Every attempt goes on the request record (provider, model, key name, status, latency, why it
 * was made, how it ended) and through the attemptStart/attemptEnd hooks. The record feeds the
 * x-switchyard-attempt-log header and the request log.
 */
export function withAttemptRecord(): Interceptor {
  return (next) => async (call) => {
    const context = call.job.context;
    const target = call.target!;
    const entry = newEntry(target, call.key, call.reason);
    const record = context.record;
    record.attempts.push(entry);
    const hooks = context.hooks;
    const started = performance.now();
    const running = call.lane === undefined ? undefined : { entry, started };
    if (running !== undefined) call.lane!.running.push(running);
    try {
      for (const hook of hooks.attemptStart) hook(context, target, entry);
      const result = await next({ ...call, entry });
      if (running !== undefined) call.lane!.running.splice(call.lane!.running.indexOf(running), 1);
      entry.latencyMs = performance.now() - started;
      entry.outcome = 'success';
      if (entry.status === 0) entry.status = 200;
      record.timing.upstreamMs += entry.latencyMs;
      for (const hook of hooks.attemptEnd) hook(context, entry, undefined);
      return result;
    } catch (thrown) {
      if (running !== undefined) call.lane!.running.splice(call.lane!.running.indexOf(running), 1);
      entry.latencyMs = performance.now() - started;
      record.timing.upstreamMs += entry.latencyMs;
      const cause = call.signal.aborted ? call.signal.reason : thrown;
      if (cause instanceof ClientAbortError || cause instanceof AttemptCancelledError) {
        entry.outcome = 'aborted';
        if (cause instanceof AttemptCancelledError) entry.errorCode = 'cancelled';
        for (const hook of hooks.attemptEnd) hook(context, entry, cause);
        throw cause;
      }
      const error = cause instanceof GatewayError ? cause : toGatewayError(cause);
      entry.errorCode = error.upstream?.code === 'deadline_exceeded' ? 'deadline_exceeded' : error.code;
      if (entry.status === 0 && error.upstream?.status !== undefined) entry.status = error.upstream.status;
      for (const hook of hooks.attemptEnd) hook(context, entry, error);
      throw error;
    }
  };
}
