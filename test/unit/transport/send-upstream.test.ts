import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPools } from '../../../src/transport/connection-pools.js';
import { readUpstreamBody, sendUpstream } from '../../../src/transport/send-upstream.js';
import { DEFAULT_TIMEOUTS } from '../../../src/transport/upstream-request.js';
import { readFixture } from '../../helpers/fixtures.js';
import { MockUpstream } from '../../helpers/mock-upstream.js';

/*
 * The gateway sends no Accept-Encoding, which HTTP reads as "any coding is acceptable": an
 * upstream (the recorded OpenAI embeddings answer, openai-embeddings/embedding-float.headers.json,
 * came gzip-encoded) may compress. Bodies reach the adapters decoded, whole or streamed.
 */

const JSON_BODY = readFixture('openai-embeddings/embedding-float.json');
const SSE_BODY = readFixture('deepseek/stream-reasoning-content.sse');

let upstream: MockUpstream;
const pools = new ConnectionPools();

beforeAll(async () => {
  upstream = await new MockUpstream().start();
  upstream.on('POST', '/gzip', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(JSON_BODY) });
  upstream.on('POST', '/deflate', { headers: { 'content-encoding': 'deflate' }, body: deflateSync(JSON_BODY) });
  upstream.on('POST', '/br', { headers: { 'content-encoding': 'br' }, body: brotliCompressSync(JSON_BODY) });
  upstream.on('POST', '/identity', { headers: { 'content-encoding': 'identity' }, body: JSON_BODY });
  upstream.on('POST', '/stream', { headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' }, body: gzipSync(SSE_BODY), chunkSize: 97, chunkDelayMs: 1 });
  upstream.on('POST', '/corrupt', { headers: { 'content-encoding': 'gzip' }, body: Buffer.from('not gzip at all') });
});

afterAll(async () => {
  await pools.destroy();
  await upstream?.stop();
});

function send(path: string) {
  return sendUpstream(pools, { method: 'POST', origin: upstream.url, path, headers: { 'content-type': 'application/json' }, body: '{}' }, { provider: 'test', timeouts: DEFAULT_TIMEOUTS });
}

describe('compressed upstream bodies', () => {
  it.each(['gzip', 'deflate', 'br', 'identity'])('%s is decoded and its header dropped', async (coding) => {
    const response = await send(`/${coding}`);
    expect((await readUpstreamBody(response, 'test')).equals(JSON_BODY)).toBe(true);
    expect(response.headers['content-encoding']).toBe(coding === 'identity' ? 'identity' : undefined);
  });

  it('a gzip-encoded stream arrives decoded piece by piece, not only at the end', async () => {
    const response = await send('/stream');
    const pieces: Buffer[] = [];
    for await (const chunk of response.body) pieces.push(chunk as Buffer);
    expect(Buffer.concat(pieces).equals(SSE_BODY)).toBe(true);
    expect(pieces.length).toBeGreaterThan(1);
  });

  it('a body that is not what its coding says fails as an upstream error', async () => {
    const response = await send('/corrupt');
    await expect(readUpstreamBody(response, 'test')).rejects.toMatchObject({ code: 'upstream_unreachable', status: 502 });
  });
});
