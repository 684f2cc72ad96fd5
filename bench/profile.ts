/**
 * CPU profile of the loaded gateway: Switchyard with every feature on, started with
 * `node --cpu-prof`, under the closed-loop load generator; the profile is summarised into the
 * top functions by self time and the share per area (Switchyard's folders, undici, Node).
 *   npm run bench:profile [-- --seconds 20 --target switchyard-full]
 * Writes bench/results/profile.json (and keeps the .cpuprofile next to it, not committed).
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { FULL_FEATURES_TARGETS } from './full-features.js';
import { ROOT, spawnPinned, stopChild, TARGETS } from './targets.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, target: { type: 'string', default: 'switchyard-full' } } });
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const target = [...TARGETS, ...FULL_FEATURES_TARGETS].find((candidate) => candidate.name === values.target);
if (target === undefined || !target.name.startsWith('switchyard')) throw new Error(`no Switchyard target ${values.target}`);
const profileDir = path.join(ROOT, 'bench/results/raw');
mkdirSync(profileDir, { recursive: true });
for (const file of readdirSync(profileDir)) if (file.endsWith('.cpuprofile')) writeFileSync(path.join(profileDir, file), '');

const mock = await spawnPinned(1, TSX, [path.join(ROOT, 'bench/mock-upstream.ts'), '--port', '0'], /\{"port":(\d+)\}/);
// Only the gateway runs with --cpu-prof (its target spawns synchronously inside start()).
const running = await (async () => {
  process.env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${profileDir}`;
  try {
    return await target.start(`http://127.0.0.1:${mock.match[1]}`, 0);
  } finally {
    delete process.env.NODE_OPTIONS;
  }
})();
const generator = spawn(
  'taskset',
  ['-c', '1', TSX, path.join(ROOT, 'bench/load-generator.ts'), '--url', running.url, '--model', running.model, '--mode', 'closed', '--concurrency', '64', '--duration', values.seconds!, '--warmup', '2', ...running.headers.flatMap((header) => ['--header', header])],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((resolve) => generator.once('exit', resolve));
await running.stop();
await stopChild(mock.child);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const files = readdirSync(profileDir)
  .filter((file) => file.endsWith('.cpuprofile'))
  .map((file) => path.join(profileDir, file))
  .filter((file) => readFileSync(file).length > 0);
// The gateway's profile is the one whose samples hit its own code.
let best: { file: string; total: number; self: Map<number, number>; nodes: Map<number, Node> } | undefined;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  if (!profile.nodes.some((node) => node.callFrame.url.includes('/dist/pipeline/'))) continue;
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  best = { file, total, self, nodes };
}
if (best === undefined) throw new Error('no gateway profile found');
const area = (url: string, name: string): string => {
  if (url.includes('/dist/')) return `switchyard ${url.split('/dist/')[1]!.split('/')[0]}`;
  if (url.includes('node_modules/')) return url.split('node_modules/')[1]!.split('/')[0]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return name === '(idle)' || name === '(garbage collector)' || name === '(program)' ? name : 'native';
};
const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const [id, time] of best.self) {
  const frame = best.nodes.get(id)!.callFrame;
  const where = frame.url.includes('/dist/') ? `dist/${frame.url.split('/dist/')[1]}` : frame.url.includes('node_modules/') ? frame.url.split('node_modules/')[1]! : frame.url;
  const key = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  const group = area(frame.url, frame.functionName);
  byArea.set(group, (byArea.get(group) ?? 0) + time);
}
const idle = byArea.get('(idle)') ?? 0;
const busy = best.total - idle;
const share = (time: number) => Math.round((time / busy) * 1000) / 10;
const result = {
  date: new Date().toISOString(),
  target: target.name,
  seconds: Number(values.seconds),
  busyShareOfWallPercent: Math.round((busy / best.total) * 1000) / 10,
  topFunctions: [...byFunction].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([fn, time]) => ({ function: fn, percentOfBusy: share(time) })),
  areas: [...byArea].filter(([key]) => key !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 20).map(([name, time]) => ({ area: name, percentOfBusy: share(time) })),
};
writeFileSync(path.join(ROOT, 'bench/results/profile.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`profile of ${target.name}: busy ${result.busyShareOfWallPercent}% of wall time\n`);
for (const row of result.areas.slice(0, 10)) process.stderr.write(`  ${row.percentOfBusy}%  ${row.area}\n`);
