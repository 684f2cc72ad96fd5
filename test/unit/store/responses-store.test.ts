import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresPool, type PostgresPool } from '../../../src/store/postgres-pool.js';
import { PostgresResponsesStore } from '../../../src/store/postgres-responses-store.js';
import type { ResponsesStore, StoredResponse } from '../../../src/store/responses-store.js';
import { SqliteResponsesStore } from '../../../src/store/sqlite-responses-store.js';
import { createLogger } from '../../../src/observability/logger.js';
import { startPostgres, type PostgresServer } from '../../helpers/postgres-server.js';

function record(id: string, previous: string | null, overrides: Partial<StoredResponse> = {}): StoredResponse {
  return {
    id,
    owner: '',
    previousResponseId: previous,
    createdAt: 1_700_000_000,
    expiresAt: Date.now() + 60_000,
    model: 'gpt-4o',
    input: [{ role: 'user', content: [{ type: 'text', text: `question ${id}` }] }],
    output: [{ role: 'assistant', content: [{ type: 'text', text: `answer ${id}` }] }],
    inputItems: [{ id: `msg_${id}`, type: 'message', role: 'user', content: [{ type: 'input_text', text: `question ${id}` }] }],
    response: { id, object: 'response' },
    ...overrides,
  };
}

function suite(name: string, open: () => Promise<ResponsesStore>) {
  describe(name, () => {
    let store: ResponsesStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('puts, gets and deletes, per owner', async () => {
      await store.put(record('r1', null, { owner: 'vk-a' }));
      expect(await store.get('r1', 'vk-a')).toEqual(record('r1', null, { owner: 'vk-a', expiresAt: (await store.get('r1', 'vk-a'))!.expiresAt }));
      expect(await store.get('r1', 'vk-b')).toBeUndefined();
      expect(await store.delete('r1', 'vk-b')).toBe(false);
      expect(await store.delete('r1', 'vk-a')).toBe(true);
      expect(await store.get('r1', 'vk-a')).toBeUndefined();
    });

    it('follows previous_response_id, oldest first', async () => {
      await store.put(record('c1', null));
      await store.put(record('c2', 'c1'));
      await store.put(record('c3', 'c2'));
      const chain = await store.chain('c3', '', 100);
      expect(chain.records.map((entry) => entry.id)).toEqual(['c1', 'c2', 'c3']);
      expect(chain.missing).toBeUndefined();
      expect(chain.records[1]!.output).toEqual([{ role: 'assistant', content: [{ type: 'text', text: 'answer c2' }] }]);
      const limited = await store.chain('c3', '', 2);
      expect(limited).toMatchObject({ truncated: true });
      expect(limited.records.map((entry) => entry.id)).toEqual(['c2', 'c3']);
      expect((await store.chain('nope', '', 10)).records).toEqual([]);
    });

    it('reports a broken chain (a deleted or expired link)', async () => {
      await store.put(record('b1', null));
      await store.put(record('b2', 'b1', { expiresAt: Date.now() - 1 }));
      await store.put(record('b3', 'b2'));
      expect(await store.chain('b3', '', 10)).toMatchObject({ missing: 'b2' });
      expect(await store.get('b2', '')).toBeUndefined();
      expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    });
  });
}

suite('SQLite responses store', async () => SqliteResponsesStore.open(mkdtempSync(path.join(tmpdir(), 'switchyard-responses-'))));

describe('PostgreSQL', () => {
  let server: PostgresServer;
  let pool: PostgresPool;
  beforeAll(async () => {
    server = await startPostgres();
    pool = createPostgresPool(server.url, createLogger({ level: 'silent' }));
  });
  afterAll(async () => {
    await pool?.end();
    await server?.destroy();
  });
  suite('PostgreSQL responses store', async () => PostgresResponsesStore.open(pool));
  it('migrations are idempotent across instances', async () => {
    await Promise.all([PostgresResponsesStore.open(pool), PostgresResponsesStore.open(pool)]);
  });
});
