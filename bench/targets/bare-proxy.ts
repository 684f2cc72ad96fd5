/**
 * The bare Node proxy: node:http in front of an undici keep-alive pool, no features at all —
 * the floor a Node gateway is measured against.
 *   tsx bench/targets/bare-proxy.ts --port 0 --upstream http://127.0.0.1:PORT
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, upstream: { type: 'string' } } });
const pool = new Pool(values.upstream!, { connections: 2048, pipelining: 1, connect: { noDelay: true } });

const server = createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    pool.request({ method: 'POST', path: request.url!, headers: { 'content-type': 'application/json' }, body: Buffer.concat(parts) }).then(
      async (upstream) => {
        response.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
        for await (const chunk of upstream.body) if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
        response.end();
      },
      () => {
        response.writeHead(502);
        response.end();
      },
    );
  });
});
server.keepAliveTimeout = 120_000;
server.listen(Number(values.port), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
