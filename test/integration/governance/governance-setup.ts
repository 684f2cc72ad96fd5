import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixtureReply, MockUpstream } from '../../helpers/mock-upstream.js';

/*
 * Shared setup for the governance tests: a mock OpenAI upstream replaying recorded fixtures,
 * and a catalog file with round prices so budgets are easy to reason about.
 */

/** $1000 per million tokens in and out: one token costs $0.001. */
export const PRICE_PER_TOKEN = 0.001;

export function catalogFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-catalog-'));
  const file = path.join(dir, 'catalog.json');
  writeFileSync(
    file,
    JSON.stringify({
      models: [
        {
          provider: 'openai',
          id: 'gpt-4o-mini',
          maxOutputTokens: 1000,
          pricing: { input: 1000, output: 1000 },
        },
        { provider: 'openai', id: 'text-embedding-3-small', pricing: { input: 1000, output: 0 } },
      ],
    }),
  );
  return file;
}

/** The OpenAI upstream: chat (text.json: 14 + 37 tokens; streams with usage), embeddings, completions. */
export async function startOpenAiMock(): Promise<MockUpstream> {
  const upstream = await new MockUpstream().start();
  upstream.on('POST', '/v1/chat/completions', (request) =>
    (request.json as { stream?: boolean }).stream
      ? fixtureReply('openai-chat/stream-text-with-usage.sse', { chunkSize: 64 })
      : fixtureReply('openai-chat/text.json'),
  );
  upstream.on('POST', '/v1/embeddings', fixtureReply('openai-embeddings/embedding-float.json'));
  return upstream;
}

export function chatBody(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 50,
    ...extra,
  });
}

export async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}
