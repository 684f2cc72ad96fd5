import type { RequestRecord } from '../../pipeline/request-record.js';
import type { LogRow } from '../../store/logs/log-row.js';
import type { CapturedContent } from './content-capture.js';
import { errorClassOf } from './error-class.js';

const NO_CONTENT: CapturedContent = { mode: 'off', request: null, response: null };

/**
 * Flatten a request record into a log row. `interrupted` marks the write-ahead entry written
 * when the response started: it stands in for the final record only if the gateway dies first.
 */
export function buildLogRow(
  record: RequestRecord,
  logId: string,
  content: CapturedContent = NO_CONTENT,
  interrupted = false,
): LogRow {
  const usage = record.usage;
  const principal = record.principal;
  const timing = record.timing;
  // The provider that answered, or for a failed request the last one tried.
  const last = record.provider === undefined ? record.attempts.at(-1) : undefined;
  return {
    logId,
    requestId: record.id,
    traceId: record.traceId ?? null,
    startedAt: record.startedAt,
    surface: record.surface,
    operation: record.operation,
    path: record.path,
    stream: record.stream,
    virtualKey: principal?.virtualKeyName ?? null,
    virtualKeyId: principal?.virtualKeyId ?? null,
    teamId: principal?.teamId ?? null,
    customerId: principal?.customerId ?? null,
    provider: record.provider ?? last?.provider ?? null,
    providerType: record.providerType ?? null,
    modelRequested: record.modelRequested ?? null,
    model: record.model ?? last?.model ?? null,
    modelReported: record.modelReported ?? null,
    keyName: record.keyName ?? last?.key ?? null,
    status: record.status,
    errorCode: record.errorCode ?? null,
    errorClass: errorClassOf(record.errorCode) ?? null,
    errorMessage: record.errorMessage ?? null,
    finishReason: record.finishReason ?? null,
    attempts: record.attempts,
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    cacheReadTokens: usage?.cacheReadTokens ?? null,
    cacheWriteTokens: usage?.cacheWriteTokens ?? null,
    reasoningTokens: usage?.reasoningTokens ?? null,
    costUsd: record.costUsd ?? null,
    cache: record.cache ?? null,
    warnings: record.warnings,
    totalMs: timing.totalMs ?? null,
    upstreamMs: timing.upstreamMs,
    firstByteMs: timing.firstByteMs ?? null,
    overheadMs: timing.overheadMs ?? null,
    passthrough: record.passthrough,
    clientAborted: record.clientAborted,
    interrupted,
    metadata: record.metadata,
    contentMode: content.mode,
    requestContent: content.request,
    responseContent: content.response,
  };
}
