import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway } from '../../helpers/in-process-gateway.js';
import type { MockUpstream } from '../../helpers/mock-upstream.js';
import { catalogFile, chatBody, post, PRICE_PER_TOKEN, startOpenAiMock } from './governance-setup.js';

/*
 * How the config file and the admin API coexist (docs/governance.md): the file's objects are
 * rewritten from the file at every start (and removed when the file drops them); objects made
 * through the API persist in the store across restarts. Spend persists in the SQLite ledger.
 */

const ADMIN = 'sy-admin-restart';
const env = { SWITCHYARD_ADMIN_KEY: ADMIN };

describe('config file and admin API across restarts (SQLite)', () => {
  let upstream: MockUpstream;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-restart-'));
  const catalog = catalogFile();

  const config = (virtualKeys: unknown[]) => ({
    dataDir,
    catalog: { files: [catalog] },
    providers: { openai: { baseUrl: `${upstream.url}/v1`, keys: [{ value: 'sk-provider' }] } },
    virtualKeys,
  });
  const status = async (url: string, key: string): Promise<number> => {
    const response = await post(`${url}/v1/chat/completions`, chatBody(), { authorization: `Bearer ${key}` });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    upstream = await startOpenAiMock();
  });
  afterAll(async () => {
    await upstream?.stop();
  });

  it('rewrites file objects at start, keeps API objects, and keeps spend', async () => {
    const first = await startTestGateway(
      config([
        { name: 'a', value: 'sk-sy-file-a-000000000000000000' },
        { name: 'b', value: 'sk-sy-file-b-000000000000000000', budget: { usd: 10, period: '1d' } },
      ]),
      { env },
    );
    const created = await fetch(`${first.url}/api/virtual-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-api' }),
    });
    const apiKey = ((await created.json()) as { value: string }).value;
    expect(await status(first.url, apiKey)).toBe(200);
    expect(await status(first.url, 'sk-sy-file-b-000000000000000000')).toBe(200);
    await first.close();

    const second = await startTestGateway(
      config([
        { name: 'b', value: 'sk-sy-file-b-000000000000000000', budget: { usd: 10, period: '1d' } },
        { name: 'c', value: 'sk-sy-file-c-000000000000000000', active: false },
      ]),
      { env },
    );
    try {
      expect(await status(second.url, 'sk-sy-file-a-000000000000000000')).toBe(401);
      expect(await status(second.url, 'sk-sy-file-c-000000000000000000')).toBe(401);
      expect(await status(second.url, apiKey)).toBe(200);
      const usage = await fetch(`${second.url}/api/usage/virtual-keys/b`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const spent = ((await usage.json()) as { budgets: Array<{ spentUsd: number }> }).budgets[0]!.spentUsd;
      // The request before the restart (text.json: 51 tokens) is still counted.
      expect(spent).toBeCloseTo(51 * PRICE_PER_TOKEN, 9);
      const list = await fetch(`${second.url}/api/virtual-keys`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const keys = ((await list.json()) as { data: Array<{ name: string; source: string }> }).data.map(
        (key) => `${key.name}:${key.source}`,
      );
      expect(keys.sort()).toEqual(['b:config', 'c:config', 'from-api:api']);
    } finally {
      await second.close();
    }
  });
});
