/** A request ready to send upstream: what a provider adapter builds and a transport signs. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Scheme, host and port, e.g. "https://api.openai.com". Used to pick the connection pool. */
  origin: string;
  /** Path and query, e.g. "/v1/chat/completions". */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Upstream timeouts, all in milliseconds. */
export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From sending the request to receiving the response headers. */
  headersMs: number;
  /** Longest silence between two body chunks (the stream idle timeout for streams). */
  idleMs: number;
  /** Time to a stream's first content event, checked before the response is committed (off when absent). */
  firstTokenMs?: number;
}

export const DEFAULT_TIMEOUTS: UpstreamTimeouts = {
  connectMs: 10_000,
  headersMs: 600_000,
  idleMs: 300_000,
};

/** Split a base URL into the origin (pool key) and a path prefix without trailing slash. */
export function splitBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  const url = new URL(baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, basePath: basePath + url.search };
}
