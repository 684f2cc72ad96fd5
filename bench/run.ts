/**
 * The benchmark: the same load, in the same run, straight to a mock upstream, through nginx,
 * a bare Node proxy, Portkey's gateway and Switchyard — the proxy under test pinned to core 0
 * (a 2-worker target to cores 0-1), the load generator and the mock pinned to core 1, or to
 * cores 2-3 on a machine with at least 4.
 *
 *   npm run bench                      # full run (~15 minutes), writes bench/results/latest.json
 *   npm run bench -- --quick           # short phases, for development
 *   npm run bench -- --targets nginx,switchyard-full
 * Then `npm run bench:report` turns the JSON into docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FULL_FEATURES_TARGETS } from './full-features.js';
import { cpuMs, processTree, rssMb } from './process-stats.js';
import { runGenerator, type GeneratorResult } from './run-generator.js';
import { ROOT, spawnPinned, stopChild, TARGETS, type RunningTarget, type Target } from './targets.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    targets: { type: 'string' },
    rates: { type: 'string', default: '500,1000,3000,6000' },
    out: { type: 'string', default: path.join(ROOT, 'bench/results/latest.json') },
  },
});

const PROXY_CORE = 0;
/**
 * The load generator and the mocks: core 1 on a 2-core machine; cores 2-3 when there are at
 * least 4, so that a 2-worker target (cores 0-1) has a second core to itself.
 */
const LOAD_CORES = os.cpus().length >= 4 ? '2,3' : '1';
const quick = values.quick;
const phaseSeconds = quick ? 3 : 10;
const warmupSeconds = quick ? 1 : 2;
const rates = values.rates!.split(',').map(Number);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

interface PhaseResult {
  phase: string;
  targetRate: number | null;
  achievedRate: number;
  completed: number;
  errors: number;
  latencyMs: Record<string, number> | null;
  firstByteMs: Record<string, number> | null;
  chunkGapMs: Record<string, number> | null;
  cpuUsPerRequest: number | null;
  peakRssMb: number | null;
  errorSamples: string[];
  skipped?: string;
}

function generate(target: RunningTarget, args: string[]): Promise<GeneratorResult> {
  return runGenerator(target, { cores: LOAD_CORES, durationSeconds: phaseSeconds, warmupSeconds, args });
}

async function measure(target: Target, running: RunningTarget, phase: string, args: string[], targetRate: number | null): Promise<PhaseResult> {
  const pids = target.proxy ? processTree(running.pid) : [];
  const cpuBefore = target.proxy ? cpuMs(pids) : 0;
  let peak = target.proxy ? rssMb(pids) : 0;
  const sampler = setInterval(() => {
    if (target.proxy) peak = Math.max(peak, rssMb(processTree(running.pid)));
  }, 200);
  const result = await generate(running, args);
  clearInterval(sampler);
  const cpuAfter = target.proxy ? cpuMs(processTree(running.pid)) : 0;
  const total = result.totalCompleted as number;
  return {
    phase,
    targetRate,
    achievedRate: result.achievedRate,
    completed: result.completed,
    errors: result.errors,
    latencyMs: result.latencyMs,
    firstByteMs: result.firstByteMs,
    chunkGapMs: result.chunkGapMs,
    cpuUsPerRequest: target.proxy && total > 0 ? ((cpuAfter - cpuBefore) * 1000) / total : null,
    peakRssMb: target.proxy ? Math.round(peak * 10) / 10 : null,
    errorSamples: result.errorSamples,
  };
}

async function benchTarget(target: Target, upstream: string, streamUpstream: string, slowStreamUpstream: string): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  const log = (result: PhaseResult): void => {
    results.push(result);
    process.stderr.write(
      `  ${target.name} ${result.phase}${result.targetRate ? ` @${result.targetRate}/s` : ''}: ${result.skipped ?? `${result.achievedRate.toFixed(0)}/s p50 ${result.latencyMs?.p50?.toFixed(3)} ms p99 ${result.latencyMs?.p99?.toFixed(3)} ms errors ${result.errors}${result.cpuUsPerRequest ? ` cpu ${result.cpuUsPerRequest.toFixed(1)} µs/req` : ''}${result.peakRssMb ? ` rss ${result.peakRssMb} MB` : ''}`}\n`,
    );
  };
  let running = await target.start(upstream, PROXY_CORE);
  try {
    const max = await measure(target, running, 'max-throughput', ['--mode', 'closed', '--concurrency', '64'], null);
    log(max);
    for (const rate of rates) {
      if (rate > max.achievedRate * 1.1) {
        log({ phase: 'open-loop', targetRate: rate, achievedRate: 0, completed: 0, errors: 0, latencyMs: null, firstByteMs: null, chunkGapMs: null, cpuUsPerRequest: null, peakRssMb: null, errorSamples: [], skipped: `not sustained (max ${max.achievedRate.toFixed(0)}/s)` });
        continue;
      }
      log(await measure(target, running, 'open-loop', ['--mode', 'open', '--rate', String(rate)], rate));
    }
    await running.stop();
    running = await target.start(streamUpstream, PROXY_CORE);
    log(await measure(target, running, 'stream', ['--mode', 'open', '--rate', '100', '--stream'], 100));
    await running.stop();
    running = await target.start(slowStreamUpstream, PROXY_CORE);
    log(await measure(target, running, 'concurrent-streams-1000', ['--mode', 'closed', '--concurrency', '1000', '--stream', '--connections', '1100'], null));
  } finally {
    await running.stop();
  }
  return results;
}

async function startMock(args: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const { child, match } = await spawnPinned(LOAD_CORES, TSX, [path.join(ROOT, 'bench/mock-upstream.ts'), '--port', '0', ...args], /\{"port":(\d+)\}/);
  return { url: `http://127.0.0.1:${match[1]}`, stop: () => stopChild(child) };
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString(),
    commit,
    cpu: cpus[0]?.model,
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    kernel: os.release(),
    node: process.version,
    pinning: `proxy under test on core ${PROXY_CORE} (taskset -c ${PROXY_CORE}; 2-worker targets on cores ${PROXY_CORE},${PROXY_CORE + 1}); load generator and mock upstream on core${LOAD_CORES.includes(',') ? 's' : ''} ${LOAD_CORES}${LOAD_CORES === '1' ? ' (shared with the second worker of 2-worker targets: 2-core machine)' : ''}`,
    phaseSeconds,
    warmupSeconds,
  };
}

const all = [...TARGETS, ...FULL_FEATURES_TARGETS];
const selected = values.targets ? all.filter((target) => values.targets!.split(',').includes(target.name)) : all;
const [plain, streams, slowStreams] = await Promise.all([startMock([]), startMock(['--chunks', '20', '--chunk-gap-ms', '5']), startMock(['--chunks', '20', '--chunk-gap-ms', '50'])]);
const report: Record<string, unknown> = { machine: machine(), targets: {} };
process.stderr.write(`Benchmark on ${os.cpus()[0]?.model} (${os.cpus().length} cores), ${phaseSeconds}s phases\n`);
try {
  for (const target of selected) {
    process.stderr.write(`${target.label}\n`);
    (report.targets as Record<string, unknown>)[target.name] = { label: target.label, proxy: target.proxy, phases: await benchTarget(target, plain.url, streams.url, slowStreams.url) };
  }
} finally {
  await Promise.all([plain.stop(), streams.stop(), slowStreams.stop()]);
}
mkdirSync(path.dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(report, null, 2)}\n`);
process.stderr.write(`Wrote ${values.out}\n`);
