/** Deep copy with long strings shortened (signatures, base64, long texts), for readable snapshots. */
export function shorten<T>(value: T, limit = 60): T {
  if (typeof value === 'string') {
    return (value.length > limit ? `${value.slice(0, 30)}…${value.slice(-12)}(${value.length})` : value) as T;
  }
  if (Array.isArray(value)) return value.map((item) => shorten(item, limit)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = shorten(item, limit);
    return out as T;
  }
  return value;
}
