import { tryParseJson } from '../../json/parse-json.js';
import type { LogRow } from '../../store/logs/log-row.js';

function content(text: string | null): unknown {
  if (text === null) return null;
  const parsed = tryParseJson(text);
  return parsed === undefined ? text : parsed;
}

/** A log row as the query API returns it (docs/observability.md, "Record format"). */
export function logRecordJson(row: LogRow, withContent: boolean): Record<string, unknown> {
  return {
    logId: row.logId,
    requestId: row.requestId,
    traceId: row.traceId,
    time: new Date(row.startedAt).toISOString(),
    startedAt: row.startedAt,
    surface: row.surface,
    operation: row.operation,
    path: row.path,
    stream: row.stream,
    principal: {
      virtualKey: row.virtualKey,
      virtualKeyId: row.virtualKeyId,
      team: row.teamId,
      customer: row.customerId,
    },
    provider: row.provider,
    providerType: row.providerType,
    modelRequested: row.modelRequested,
    model: row.model,
    modelReported: row.modelReported,
    keyName: row.keyName,
    status: row.status,
    error:
      row.errorCode === null
        ? null
        : { code: row.errorCode, class: row.errorClass, message: row.errorMessage },
    finishReason: row.finishReason,
    attempts: row.attempts,
    usage: {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheReadTokens: row.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      reasoningTokens: row.reasoningTokens,
    },
    costUsd: row.costUsd,
    cache: row.cache,
    warnings: row.warnings,
    timing: {
      totalMs: row.totalMs,
      upstreamMs: row.upstreamMs,
      firstByteMs: row.firstByteMs,
      overheadMs: row.overheadMs,
    },
    passthrough: row.passthrough,
    clientAborted: row.clientAborted,
    interrupted: row.interrupted,
    metadata: row.metadata,
    contentMode: row.contentMode,
    ...(withContent
      ? { content: { request: content(row.requestContent), response: content(row.responseContent) } }
      : {}),
  };
}
