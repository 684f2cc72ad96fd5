import { readFixtureJson } from '../helpers/fixtures.js';

/**
 * Response headers from a recorded `*.headers.json` fixture, ready for a mock reply: one value
 * per header, without the framing headers the mock sets itself.
 */
export function recordedHeaders(name: string): Record<string, string> {
  const recorded = readFixtureJson<{ status: number; headers: Record<string, string[]> }>(name);
  const out: Record<string, string> = {};
  for (const [header, values] of Object.entries(recorded.headers)) {
    if (header === 'content-length' || header === 'transfer-encoding' || header === 'connection') continue;
    out[header] = values[0]!;
  }
  return out;
}
