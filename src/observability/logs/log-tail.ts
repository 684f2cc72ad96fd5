import type { ServerResponse } from 'node:http';
import type { LogFilter } from '../../store/logs/log-query.js';
import type { LogRow } from '../../store/logs/log-row.js';
import { logRecordJson } from './log-record-json.js';

/** Does a row match a filter (the in-memory twin of the SQL WHERE clause, for the live tail). */
export function rowMatches(row: LogRow, filter: LogFilter): boolean {
  if (filter.from !== undefined && row.startedAt < filter.from) return false;
  if (filter.to !== undefined && row.startedAt >= filter.to) return false;
  if (
    filter.virtualKey !== undefined &&
    row.virtualKey !== filter.virtualKey &&
    row.virtualKeyId !== filter.virtualKey
  )
    return false;
  if (filter.team !== undefined && row.teamId !== filter.team) return false;
  if (filter.customer !== undefined && row.customerId !== filter.customer) return false;
  if (filter.provider !== undefined && row.provider !== filter.provider) return false;
  if (
    filter.model !== undefined &&
    row.model !== filter.model &&
    row.modelRequested !== filter.model &&
    row.modelReported !== filter.model
  )
    return false;
  if (filter.surface !== undefined && row.surface !== filter.surface) return false;
  if (filter.errorClass !== undefined && row.errorClass !== filter.errorClass) return false;
  if (filter.requestId !== undefined && row.requestId !== filter.requestId) return false;
  if (filter.traceId !== undefined && row.traceId !== filter.traceId) return false;
  if (filter.minLatencyMs !== undefined && (row.totalMs ?? 0) < filter.minLatencyMs) return false;
  if (filter.status !== undefined) {
    const status = filter.status.toLowerCase();
    if (/^\d{3}$/.test(status) && row.status !== Number(status)) return false;
    if (/^[1-5]xx$/.test(status) && Math.floor(row.status / 100) !== Number(status[0])) return false;
    if (status === 'error' && row.status < 400) return false;
    if (status === 'success' && row.status >= 400) return false;
  }
  if (filter.text !== undefined && filter.text !== '') {
    const needle = filter.text.toLowerCase();
    const haystack = [
      row.requestId,
      row.errorMessage,
      row.modelRequested,
      row.model,
      JSON.stringify(row.metadata),
      row.requestContent,
      row.responseContent,
    ];
    if (!haystack.some((value) => value?.toLowerCase().includes(needle))) return false;
  }
  return true;
}

interface Subscriber {
  response: ServerResponse;
  filter: LogFilter;
}

const HEARTBEAT_MS = 15_000;

/**
 * The live feed behind GET /api/logs/tail: every finished request, as a server-sent event, to
 * each subscriber whose filter it matches. A subscriber whose socket is full misses events
 * (counted in a comment line) rather than making the gateway buffer for it.
 */
export class LogTail {
  private readonly subscribers = new Set<Subscriber>();
  private heartbeat: NodeJS.Timeout | undefined;

  get size(): number {
    return this.subscribers.size;
  }

  subscribe(response: ServerResponse, filter: LogFilter): void {
    const subscriber = { response, filter };
    this.subscribers.add(subscriber);
    response.once('close', () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.heartbeat !== undefined) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    });
    if (this.heartbeat === undefined) {
      this.heartbeat = setInterval(() => {
        for (const { response: open } of this.subscribers)
          if (!open.destroyed) open.write(': keep-alive\n\n');
      }, HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  publish(row: LogRow): void {
    if (this.subscribers.size === 0) return;
    let data: string | undefined;
    for (const { response, filter } of this.subscribers) {
      if (response.destroyed || !rowMatches(row, filter)) continue;
      if (response.writableNeedDrain) continue;
      data ??= `event: log\nid: ${row.logId}\ndata: ${JSON.stringify(logRecordJson(row, false))}\n\n`;
      response.write(data);
    }
  }

  closeAll(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const { response } of this.subscribers) response.end();
    this.subscribers.clear();
  }
}
