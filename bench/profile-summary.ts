/**
 * Summarise a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and
 * optionally the inclusive share of functions whose name or file matches a pattern.
 *
 *   tsx bench/profile-summary.ts CPU.….cpuprofile [--top 30] [--match 'runChat|admit']
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, match: { type: 'string' } },
});
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfTime = new Map<number, number>();
profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
const idle = [...selfTime].filter(([id]) => ['(idle)', '(program)', '(garbage collector)'].includes(byId.get(id)!.callFrame.functionName));
const label = (node: ProfileNode): string => {
  const file = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|src|dist)\//, '$1/');
  return `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
};

const selfByLabel = new Map<string, number>();
for (const [id, time] of selfTime) {
  const key = label(byId.get(id)!);
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + time);
}
process.stdout.write(`total ${(total / 1000).toFixed(0)} ms; ${idle.map(([id, time]) => `${byId.get(id)!.callFrame.functionName} ${((100 * time) / total).toFixed(1)}%`).join(', ')}\n`);
process.stdout.write('self time:\n');
for (const [key, time] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
  process.stdout.write(`${((100 * time) / total).toFixed(2).padStart(6)}%  ${key}\n`);

if (values.match !== undefined) {
  const pattern = new RegExp(values.match);
  const inclusive = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (!pattern.test(key) || seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + time);
    }
  }
  process.stdout.write(`inclusive time of /${values.match}/:\n`);
  for (const [key, time] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
    process.stdout.write(`${((100 * time) / total).toFixed(2).padStart(6)}%  ${key}\n`);
}
