/**
 * The benchmark's upstream: an OpenAI-style server doing as little work as possible per request,
 * so what is measured is the proxy in front of it. Chat completions (JSON, or an SSE stream of
 * N chunks spaced by a fixed gap) and embeddings; an optional fixed latency.
 *
 *   tsx bench/mock-upstream.ts --port 0 [--latency-ms 0] [--chunks 20] [--chunk-gap-ms 5]
 * Prints {"port": N} on stdout when listening.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'latency-ms': { type: 'string', default: '0' },
    chunks: { type: 'string', default: '20' },
    'chunk-gap-ms': { type: 'string', default: '5' },
  },
});
const latency = Number(values['latency-ms']);
const chunks = Number(values.chunks);
const gap = Number(values['chunk-gap-ms']);

const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1700000000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
    system_fingerprint: 'fp_bench',
  }),
);
const embedding = Buffer.from(
  JSON.stringify({
    object: 'list',
    data: [{ object: 'embedding', index: 0, embedding: Array.from({ length: 256 }, (_, i) => Math.sin(i) / 10) }],
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 4, total_tokens: 4 },
  }),
);
const chunk = (content: string, finish: string | null) =>
  Buffer.from(
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta: finish ? {} : { content }, logprobs: null, finish_reason: finish }] })}\n\n`,
  );
const streamChunks = [...Array.from({ length: chunks }, (_, i) => chunk(`tok${i} `, null)), chunk('', 'stop')];
const usageChunk = Buffer.from(
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini-2024-07-18', choices: [], usage: { prompt_tokens: 12, completion_tokens: chunks, total_tokens: 12 + chunks } })}\n\n`,
);
const done = Buffer.from('data: [DONE]\n\n');
const STREAM_MARK = Buffer.from('"stream":true');
const USAGE_MARK = Buffer.from('"include_usage":true');

const server = createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    const reply = (): void => {
      if (request.url?.endsWith('/embeddings')) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': embedding.length });
        response.end(embedding);
        return;
      }
      if (body.indexOf(STREAM_MARK) === -1) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length });
        response.end(completion);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const withUsage = body.indexOf(USAGE_MARK) !== -1;
      let index = 0;
      const next = (): void => {
        if (response.destroyed) return;
        if (index < streamChunks.length) {
          response.write(streamChunks[index++]);
          if (gap > 0) setTimeout(next, gap);
          else next();
          return;
        }
        if (withUsage) response.write(usageChunk);
        response.end(done);
      };
      next();
    };
    if (latency > 0) setTimeout(reply, latency);
    else reply();
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
