import type { IncomingMessage } from 'node:http';

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The credentials a client sent, wherever its SDK puts them: `Authorization: Bearer` (OpenAI,
 * Bedrock API keys, LangChain, Vercel AI SDK), `x-api-key` (Anthropic), `api-key` (Azure
 * OpenAI), `x-goog-api-key` (Google GenAI), and the `key` query parameter (Gemini REST).
 * Several may be present (an SDK sending two forms); each is a candidate.
 */
export function readClientKeys(request: IncomingMessage): string[] {
  const keys: string[] = [];
  const authorization = header(request, 'authorization');
  if (authorization !== undefined && /^bearer\s/i.test(authorization)) {
    const token = authorization.slice(7).trim();
    if (token !== '') keys.push(token);
  }
  for (const name of ['x-api-key', 'api-key', 'x-goog-api-key']) {
    const value = header(request, name);
    if (value !== undefined && !keys.includes(value)) keys.push(value);
  }
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query !== -1 && url.includes('key=', query)) {
    const value = new URLSearchParams(url.slice(query + 1)).get('key');
    if (value !== null && value !== '' && !keys.includes(value)) keys.push(value);
  }
  return keys;
}
