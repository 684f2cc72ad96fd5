import { switchyardTarget, type Target } from './targets.js';

/**
 * Switchyard with every feature the benchmark requires on: virtual-key auth, a rate limit, a
 * budget, request logging to SQLite and metrics — the real config keys of docs/governance.md
 * and docs/observability.md, nothing stubbed:
 *
 * - the load generator sends the virtual key (`authorization: Bearer …`); every request is
 *   authenticated (SHA-256 of the key, constant-time compare), the key's budget is reserved
 *   before dispatch and settled after the response (priced from the catalog: gpt-4o-mini), and
 *   its request and token limits are taken (GCRA) and corrected with the real token count;
 *   each request writes a spend row to the SQLite ledger;
 * - every request is logged (write-ahead entry in the spool, final record, batches into SQLite
 *   in a worker thread; content mode `metadata`, the default) and counted in the Prometheus
 *   metrics (scraped by nobody during the run; recording is the cost measured).
 *
 * The limits are real but set far above what the benchmark sends, so they never refuse bench
 * traffic (a refusal would show as errors in the results): the full benchmark sends a few
 * million requests at most — about 134 estimated tokens and $0.00005 each — against a billion
 * requests and a trillion tokens a minute and $1,000,000 a day.
 */
export const BENCH_VIRTUAL_KEY = 'sk-sy-bench-full-features-0123456789abcdef';

export function fullFeaturesConfig(): Record<string, unknown> {
  return {
    virtualKeys: [
      {
        name: 'bench',
        value: BENCH_VIRTUAL_KEY,
        budget: { usd: 1_000_000, period: '1d' },
        rateLimit: { requests: 1_000_000_000, tokens: 1_000_000_000_000, per: '1m' },
      },
    ],
    observability: {
      logs: { enabled: true, store: 'sqlite' },
      metrics: { enabled: true },
    },
  };
}

const HEADERS = [`authorization: Bearer ${BENCH_VIRTUAL_KEY}`];

export const FULL_FEATURES_TARGETS: Target[] = [
  switchyardTarget(
    'switchyard-full',
    'Switchyard: virtual-key auth, rate limit, budget, request log (SQLite), metrics',
    fullFeaturesConfig,
    HEADERS,
  ),
  /*
   * The same with two worker processes (node:cluster; the counters live in the primary, see
   * docs/workers.md), for the scaling measurement. It needs a second free core: on a machine
   * with 4 or more cores the gateway gets cores 0-1 and the load generator and mock cores 2-3;
   * on a 2-core machine the gateway's second worker shares core 1 with the load generator and
   * the mock, so one-to-two-worker scaling there is understated (docs/benchmarks.md).
   */
  switchyardTarget(
    'switchyard-full-2-workers',
    'Switchyard full features, 2 workers (--workers 2)',
    fullFeaturesConfig,
    HEADERS,
    2,
  ),
];
