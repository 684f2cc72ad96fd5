/**
 * CPU profile of the loaded gateway: a Switchyard target of the benchmark (every feature on by
 * default, or passthrough) started with `node --cpu-prof`, pinned to core 0, under the
 * closed-loop load generator on core 1; the profile is summarised into the top functions by self
 * time and the share per area (Switchyard's folders, each package, Node internals).
 *
 *   npm run bench:profile [-- --seconds 20 --target switchyard-full|switchyard-passthrough]
 *     [--stream] [--match 'runChat|admit']
 * Writes bench/results/profile.json (the .cpuprofile files stay in bench/results/raw, not
 * committed: open them in Chrome DevTools or speedscope).
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isGatewayProfile, summariseCpuProfile, type CpuProfile } from './cpu-profile.js';
import { FULL_FEATURES_TARGETS } from './full-features.js';
import { runGenerator } from './run-generator.js';
import { ROOT, spawnPinned, stopChild, TARGETS } from './targets.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    target: { type: 'string', default: 'switchyard-full' },
    stream: { type: 'boolean', default: false },
    match: { type: 'string' },
  },
});
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const target = [...TARGETS, ...FULL_FEATURES_TARGETS].find((candidate) => candidate.name === values.target);
if (target === undefined || !target.name.startsWith('switchyard')) throw new Error(`no Switchyard target ${values.target}`);
const profileDir = path.join(ROOT, 'bench/results/raw');
mkdirSync(profileDir, { recursive: true });
for (const file of readdirSync(profileDir)) if (file.endsWith('.cpuprofile')) unlinkSync(path.join(profileDir, file));

const mockArgs = values.stream ? ['--chunks', '20', '--chunk-gap-ms', '5'] : [];
const mock = await spawnPinned(1, TSX, [path.join(ROOT, 'bench/mock-upstream.ts'), '--port', '0', ...mockArgs], /\{"port":(\d+)\}/);
// The mock is stopped even when the target fails to start or the run fails.
const load = await (async () => {
  try {
    // Only the gateway runs with --cpu-prof (node refuses it in NODE_OPTIONS).
    const running = await target.start(`http://127.0.0.1:${mock.match[1]}`, 0, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    try {
      return await runGenerator(running, {
        cores: '1',
        durationSeconds: Number(values.seconds),
        warmupSeconds: 2,
        args: ['--mode', 'closed', '--concurrency', '64', ...(values.stream ? ['--stream'] : [])],
      });
    } finally {
      await running.stop();
    }
  } finally {
    await stopChild(mock.child);
  }
})();

// The gateway's main thread is the profile whose samples hit its request pipeline.
const profiles = readdirSync(profileDir)
  .filter((file) => file.endsWith('.cpuprofile'))
  .map((file) => JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile)
  .filter(isGatewayProfile);
if (profiles.length === 0) throw new Error('no gateway profile found');
const summary = summariseCpuProfile(profiles[0]!, {
  top: 25,
  ...(values.match === undefined ? {} : { match: new RegExp(values.match) }),
});
const result = {
  date: new Date().toISOString(),
  target: target.name,
  stream: values.stream,
  seconds: Number(values.seconds),
  achievedRate: Math.round(load.achievedRate),
  errors: load.errors,
  ...summary,
};
writeFileSync(path.join(ROOT, 'bench/results/profile.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`profile of ${target.name}: ${result.achievedRate}/s, busy ${result.busyShareOfWallPercent}% of wall time\n`);
for (const row of result.areas.slice(0, 10)) process.stderr.write(`  ${row.percentOfBusy}%  ${row.area}\n`);
for (const row of result.inclusive) process.stderr.write(`  ${row.percentOfBusy}%  ${row.function} (inclusive)\n`);
