/**
 * Pieces of the request path that part 3 of the performance work changed, measured where they
 * run: the spend ledger's SQLite write (one row per governed request, on the event loop), the
 * counters' admission with many requests in flight (open reservations), and the Bedrock
 * event-stream framing of a stream.
 *
 *   tsx bench/micro/hot-path.bench.ts        (only these; all of them run in npm run bench:micro)
 */
import { bench, group, summary } from 'mitata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteGovernanceStore } from '../../src/store/governance/sqlite-governance-store.js';
import { openSqlite } from '../../src/store/sqlite-database.js';
import { CounterTable } from '../../src/store/counters/counter-table.js';
import { encodeEventStreamEvent } from '../../src/transport/aws-eventstream.js';
import { responseHeaders } from '../../src/pipeline/respond.js';
import { createRequestRecord } from '../../src/pipeline/request-record.js';
import type { RequestContext } from '../../src/pipeline/request-context.js';
import type { GatewayRuntime } from '../../src/pipeline/runtime.js';

/** A governed, answered request as the headers see it: provider, attempt, cost, limit headers. */
const record = createRequestRecord('req_0123456789abcdef', 'openai', 'chat', '/v1/chat/completions');
record.provider = 'openai';
record.model = 'gpt-4o-mini';
record.costUsd = 0.0000432;
record.attempts.push({ provider: 'openai', model: 'gpt-4o-mini', key: 'bench', status: 200, latencyMs: 1.2, outcome: 'success', passthrough: true });
const headersContext = {
  record,
  responseHeaders: {
    'x-ratelimit-limit-requests': '1000000000',
    'x-ratelimit-remaining-requests': '999999999',
    'x-ratelimit-reset-requests': '0s',
    'x-ratelimit-limit-tokens': '1000000000000',
    'x-ratelimit-remaining-tokens': '999999999866',
    'x-ratelimit-reset-tokens': '8ms',
    'x-switchyard-budget-limit-usd': '1000000.00',
    'x-switchyard-budget-remaining-usd': '999999.99',
    'x-switchyard-budget-reset': '23h59m',
    'x-switchyard-budget-scope': 'virtual-key:bench',
  },
} as unknown as RequestContext;
const headersRuntime = { hooks: { responseHeaders: [] } } as unknown as GatewayRuntime;

const store = new SqliteGovernanceStore(openSqlite(path.join(mkdtempSync(path.join(tmpdir(), 'bench-ledger-')), 'switchyard.db')), { ownsDb: true });
await store.migrate();
let spendNumber = 0;

/** A budget with `open` requests admitted and not yet settled (streams in flight, say). */
function tableWithOpenReservations(open: number): { table: CounterTable; admitSettle(): void } {
  const table = new CounterTable();
  const window = { end: Number.MAX_SAFE_INTEGER };
  const budgets = [{ counter: 'key', limitNano: 1e18, amountNano: 1000, window }];
  const rates = [{ counter: 'key:requests', kind: 'requests' as const, limit: 1e9, periodMs: 60_000, cost: 1 }];
  table.seed('key', 0, Number.MAX_SAFE_INTEGER);
  const now = Date.now();
  for (let index = 0; index < open; index++) table.admit(`open-${index}`, budgets, rates, 600_000, now);
  let number = 0;
  return {
    table,
    admitSettle() {
      const id = `r${number++}`;
      const at = Date.now();
      table.admit(id, budgets, rates, 600_000, at);
      table.settle(id, [{ counter: 'key', actualNano: 900 }], [], at);
    },
  };
}

export function registerHotPathBenches(): void {
  summary(() => {
    group('spend ledger (SQLite, WAL): write one request\'s row', () => {
      bench('appendSpend, one row', async () => {
        const id = `s${spendNumber++}`;
        await store.appendSpend([{ spendId: id, requestId: id, at: Date.now(), virtualKeyId: 'k', teamId: 't', provider: 'openai', model: 'gpt-4o-mini', costNano: 50_000, inputTokens: 20, outputTokens: 40 }]);
      });
    });
  });
  summary(() => {
    group('counters: admit + settle against a budget with requests in flight', () => {
      for (const open of [0, 100, 1000]) {
        const { admitSettle } = tableWithOpenReservations(open);
        bench(`${open} reservations open`, admitSettle);
      }
    });
  });
  summary(() => {
    group('response headers of a governed request (gateway headers + 10 limit headers)', () => {
      bench('responseHeaders', () => responseHeaders(headersRuntime, headersContext, { 'content-type': 'application/json' }));
    });
  });
  summary(() => {
    group('Bedrock event stream: frame one ConverseStream text delta', () => {
      bench('encodeEventStreamEvent (headers, payload, two CRC32s) + latin1 string', () =>
        encodeEventStreamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello, how can I help you today?' } }).toString('latin1'),
      );
    });
  });
}
