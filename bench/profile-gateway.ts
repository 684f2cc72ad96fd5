/**
 * Profile the gateway under load: the built CLI with the full-features config of the benchmark
 * (or passthrough with nothing on) under `node --cpu-prof`, pinned to core 0, driven by the
 * closed-loop load generator against the bench mock on core 1; then prints where its CPU went.
 *
 *   npm run build && tsx bench/profile-gateway.ts [--target full|passthrough] [--seconds 10]
 *     [--stream] [--concurrency 64] [--match 'admit|encode']
 * The profile stays in the printed directory (open it in Chrome DevTools or speedscope).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { BENCH_VIRTUAL_KEY, fullFeaturesConfig } from './full-features.js';
import { ROOT, spawnPinned, stopChild } from './targets.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'full' },
    seconds: { type: 'string', default: '10' },
    stream: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '64' },
    match: { type: 'string' },
  },
});
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'profile-gateway-'));
const profiles = path.join(dir, 'profiles');

const mock = await spawnPinned(1, TSX, [path.join(ROOT, 'bench/mock-upstream.ts'), '--port', '0', ...(values.stream ? ['--chunks', '20', '--chunk-gap-ms', '5'] : [])], /\{"port":(\d+)\}/);
const full = values.target === 'full';
writeFileSync(
  path.join(dir, 'switchyard.yaml'),
  stringify({
    logging: { level: 'warn', requests: false },
    ...(full ? fullFeaturesConfig() : {}),
    providers: {
      openai: {
        baseUrl: `http://127.0.0.1:${mock.match[1]}/v1`,
        keys: [{ name: 'bench', value: 'sk-bench' }],
        concurrency: { maxInFlight: 2048, queue: 2048 },
      },
    },
  }),
);
const gateway = await spawnPinned(
  0,
  process.execPath,
  ['--cpu-prof', '--cpu-prof-dir', profiles, path.join(ROOT, 'dist/cli/main.js'), 'start', '--config', path.join(dir, 'switchyard.yaml'), '--port', '0', '--data-dir', path.join(dir, 'data')],
  /listening on (http:\/\/\S+)/,
  { SWITCHYARD_ADMIN_KEY: 'profile-admin' },
);
const generator = spawn(
  'taskset',
  [
    '-c',
    '1',
    TSX,
    path.join(ROOT, 'bench/load-generator.ts'),
    '--url',
    gateway.match[1]!,
    '--model',
    'openai/gpt-4o-mini',
    '--mode',
    'closed',
    '--concurrency',
    values.concurrency!,
    '--duration',
    values.seconds!,
    '--warmup',
    '2',
    ...(values.stream ? ['--stream'] : []),
    ...(full ? ['--header', `authorization: Bearer ${BENCH_VIRTUAL_KEY}`] : []),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let output = '';
generator.stdout.on('data', (data: Buffer) => (output += data.toString()));
await new Promise((resolve) => generator.once('exit', resolve));
await stopChild(gateway.child);
await stopChild(mock.child);
const result = JSON.parse(output.trim().split('\n').at(-1)!) as { achievedRate: number; errors: number };
process.stdout.write(`${values.target}${values.stream ? ' streams' : ''}: ${result.achievedRate.toFixed(0)}/s, ${result.errors} errors; profile in ${profiles}\n`);
const file = readdirSync(profiles).find((name) => name.endsWith('.cpuprofile'))!;
const summary = spawn(TSX, [path.join(ROOT, 'bench/profile-summary.ts'), path.join(profiles, file), '--top', '40', ...(values.match ? ['--match', values.match] : [])], { stdio: 'inherit' });
await new Promise((resolve) => summary.once('exit', resolve));
