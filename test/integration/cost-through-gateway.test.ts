import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cohereModule } from '../../src/api/cohere/cohere-module.js';
import type { GatewayModule } from '../../src/gateway.js';
import type { RequestRecord } from '../../src/pipeline/request-record.js';
import { startTestGateway, type TestGateway } from '../helpers/in-process-gateway.js';
import { fixtureReply, MockUpstream } from '../helpers/mock-upstream.js';

/** Cost on real responses through the gateway: the header, and the record hooks see. */
describe('cost through the gateway', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  let client: OpenAI;
  const completed: RequestRecord[] = [];
  const capture: GatewayModule = {
    name: 'capture',
    setup(assembly) {
      assembly.runtime.hooks.complete.push((record) => {
        // The record is priced before completion hooks run (streams included).
        completed.push({ ...record });
      });
    },
  };
  const lastRecord = async (): Promise<RequestRecord> => {
    await expect.poll(() => completed.length).toBeGreaterThan(0);
    return completed.at(-1)!;
  };

  beforeAll(async () => {
    upstream = await new MockUpstream().start();
    upstream.on('POST', '/v2/chat', fixtureReply('cohere/text.json'));
    upstream.on('POST', '/v2/rerank', { status: 200, body: JSON.stringify({ id: 'r', results: [{ index: 0, relevance_score: 0.9 }], meta: { billed_units: { search_units: 1 } } }) });
    upstream.on('POST', '/openai/v1/chat/completions', (request) =>
      (request.json as { stream?: boolean }).stream ? fixtureReply('openai-chat/stream-cached-tokens.sse', { chunkSize: 50, randomChunks: true }) : fixtureReply('openai-chat/text.json'),
    );
    upstream.on('POST', '/xai/v1/chat/completions', fixtureReply('xai/text.json'));
    gateway = await startTestGateway(
      {
        providers: {
          cohere: { baseUrl: upstream.url, keys: [{ value: 'co' }] },
          openai: { baseUrl: `${upstream.url}/openai/v1`, keys: [{ value: 'sk' }] },
          xai: { baseUrl: `${upstream.url}/xai/v1`, keys: [{ value: 'xai' }] },
        },
      },
      { modules: [cohereModule, capture] },
    );
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.stop();
  });

  it('a Cohere answer: header and record carry the billed-units cost', async () => {
    completed.length = 0;
    const { response } = await client.chat.completions.create({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    // Billed 12 in, 7 out at $2.50 / $10 per million: 30 + 70 = 100 µ$.
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('0.00010000');
    expect((await lastRecord()).costUsd).toBeCloseTo(0.0001, 12);
  });

  it('a stream is priced when it ends, before completion hooks (OpenAI cached tokens)', async () => {
    completed.length = 0;
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    for await (const _chunk of stream) void _chunk;
    // Headers leave before usage exists: the cost is declared as a trailer, not a header.
    expect(response.headers.get('x-switchyard-cost-usd')).toBeNull();
    expect(response.headers.get('trailer')).toBe('x-switchyard-cost-usd');
    const record = await lastRecord();
    expect(record.usage).toMatchObject({ inputTokens: 1420, cacheReadTokens: 1280, outputTokens: 100 });
    // 140 × 2.50 + 1280 × 1.25 + 100 × 10 = 2950 µ$
    expect(record.costUsd).toBeCloseTo(0.00295, 12);
  });

  it('a stream ends with its cost as an HTTP trailer (the same figure the record gets)', async () => {
    const body = JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const { trailers, text } = await new Promise<{ trailers: NodeJS.Dict<string>; text: string }>((resolve, reject) => {
      const url = new URL('/v1/chat/completions', gateway.url);
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let received = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (received += chunk));
        res.on('end', () => resolve({ trailers: res.trailers, text: received }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(text).toContain('data: [DONE]');
    expect(trailers['x-switchyard-cost-usd']).toBe('0.00295000');
  });

  it('xAI: the provider’s own reported cost', async () => {
    const { response } = await client.chat.completions.create({ model: 'xai/grok-3-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    // usage.cost_in_usd_ticks 1176500 × 1e-10 = $0.00011765
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('0.00011765');
  });

  it('an unknown model: the header says unknown and costUsd is null, never 0', async () => {
    completed.length = 0;
    const { response } = await client.chat.completions.create({ model: 'cohere/command-z-experimental', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('unknown');
    expect((await lastRecord()).costUsd).toBeNull();
  });

  it('Cohere rerank through the Cohere surface (passthrough) is priced per search unit', async () => {
    const response = await fetch(`${gateway.url}/cohere/v2/rerank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rerank-v3.5', query: 'q', documents: ['a'] }),
    });
    expect(response.headers.get('x-switchyard-passthrough')).toBe('true');
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('0.00200000');
  });

  it('/v1/models entries carry catalog facts', async () => {
    const models = await client.models.list();
    const entry = models.data.find((model) => model.id === 'openai/gpt-4o-mini') as unknown as Record<string, unknown>;
    expect(entry).toMatchObject({ context_window: 128000, max_output_tokens: 16384, pricing: { input: 0.15, output: 0.6, cacheRead: 0.075, as_of: '2025-06-03' } });
  });
});

describe('switchyard validate', () => {
  it('names the bad catalog file and the path inside it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-validate-'));
    writeFileSync(path.join(dir, 'prices.json'), JSON.stringify({ models: [{ provider: 'openai', id: 'gpt-4o', pricing: { input: 2.5 } }] }));
    const config = path.join(dir, 'switchyard.yaml');
    writeFileSync(config, 'catalog:\n  files: [prices.json]\nproviders: {}\n');
    const cli = path.resolve('src/cli/main.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, 'validate', '--config', config], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('catalog.files[0]');
    expect(result.stderr).toContain(path.join(dir, 'prices.json'));
    expect(result.stderr).toContain('models[0].pricing.output');
  });
});
