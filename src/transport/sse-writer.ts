/**
 * Server-sent event framing for surfaces. Payloads are JSON text, which never contains a raw
 * line break, so one `data:` line per event is enough; other text is split per line.
 */
export function formatSseEvent(data: string, event?: string): string {
  const body = data.includes('\n') ? data.split('\n').join('\ndata: ') : data;
  return event === undefined ? `data: ${body}\n\n` : `event: ${event}\ndata: ${body}\n\n`;
}

/** Response headers for an event stream; disables proxy buffering (nginx) and caching. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};
