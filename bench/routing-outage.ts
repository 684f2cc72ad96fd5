/*
 * Routing under an outage (docs/routing.md, "Measured"): two providers behind one alias on
 * loopback, closed-loop clients; provider "a" fails 100% for a while, then heals. Prints the
 * figures as JSON and a Markdown table row. Run: npx tsx bench/routing-outage.ts [--stream]
 * Environment: CONCURRENCY (32), OUTAGE_REQUESTS (20000), HEALTHY_REQUESTS (2000).
 */
import os from 'node:os';
import { runOutageScenario } from '../test/helpers/outage-scenario.js';

const stream = process.argv.includes('--stream');
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const options = {
  concurrency,
  healthyRequests: Number(process.env.HEALTHY_REQUESTS ?? 2000),
  outageRequests: Number(process.env.OUTAGE_REQUESTS ?? 20_000),
  recoveredRequests: 500,
  recoveryCap: 50_000,
  retryBudgetRatio: 0.2,
  upstreamDelayMs: 5,
  consecutiveFailures: 5,
  ejectForMs: 1000,
  maxEjectForMs: 8000,
  stream,
};
const figures = await runOutageScenario(options);
const machine = `${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}, Node ${process.version}, ${os.platform()}`;
process.stdout.write(`${JSON.stringify({ options, figures, machine }, null, 2)}\n`);
const row = [
  stream ? 'stream' : 'complete',
  concurrency,
  figures.requests.total,
  figures.clientErrors,
  `${figures.upstreamAttempts} ≤ ${figures.attemptCeiling}`,
  figures.retries,
  figures.failuresBeforeEjection,
  figures.requestsUntilEjected,
  figures.failuresAtA,
  figures.ejections,
  figures.requestsUntilReadmitted ?? 'never',
  figures.msUntilReadmitted === undefined ? '-' : Math.round(figures.msUntilReadmitted),
  Math.round(figures.requestsPerSecond),
];
process.stdout.write(`| ${row.join(' | ')} |\n`);
