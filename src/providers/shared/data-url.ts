import type { DataSource } from '../../core/index.js';

/** Build a data: URL from base64 data. */
export function toDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}

/** Parse a data: URL into a base64 source, or return a URL source for anything else. */
export function sourceFromUrl(url: string): DataSource {
  if (url.startsWith('data:')) {
    const comma = url.indexOf(',');
    const header = url.slice(5, comma);
    if (comma > 0 && header.endsWith(';base64')) {
      return { kind: 'base64', mediaType: header.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) };
    }
  }
  return { kind: 'url', url };
}
