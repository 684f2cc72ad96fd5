import { isRecord, tryParseJson } from '../../json/parse-json.js';

const MAX_KEYS = 32;
const MAX_KEY_LENGTH = 64;
const MAX_VALUE_LENGTH = 512;

/**
 * Tags a client attaches to its request for the log: `x-switchyard-metadata` holding a JSON
 * object (`{"feature": "search", "user_tier": "pro"}`). String, number and boolean values are
 * kept as strings, bounded in count and length; anything else is ignored.
 */
export function readClientMetadata(
  header: string | string[] | undefined,
  into: Record<string, string>,
): void {
  if (typeof header !== 'string' || header === '') return;
  const parsed = tryParseJson(header);
  if (!isRecord(parsed)) return;
  let count = Object.keys(into).length;
  for (const [key, value] of Object.entries(parsed)) {
    if (count >= MAX_KEYS) break;
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    into[key] = String(value).slice(0, MAX_VALUE_LENGTH);
    count++;
  }
}
