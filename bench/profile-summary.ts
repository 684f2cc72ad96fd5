/**
 * Summarise a V8 CPU profile file: the functions with the most self time, the share per area,
 * and optionally the inclusive share of functions whose name or file matches a pattern.
 *
 *   tsx bench/profile-summary.ts CPU.….cpuprofile [--top 30] [--match 'runChat|admit']
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { summariseCpuProfile, type CpuProfile } from './cpu-profile.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '30' }, match: { type: 'string' } },
});
const profile = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as CpuProfile;
const summary = summariseCpuProfile(profile, {
  top: Number(values.top),
  ...(values.match === undefined ? {} : { match: new RegExp(values.match) }),
});
const line = (percent: number, name: string): string => `${percent.toFixed(1).padStart(6)}%  ${name}\n`;
process.stdout.write(`sampled ${summary.totalMs} ms, busy ${summary.busyShareOfWallPercent}% (shares below are of busy time)\nself time:\n`);
for (const row of summary.topFunctions) process.stdout.write(line(row.percentOfBusy, row.function));
process.stdout.write('areas:\n');
for (const row of summary.areas) process.stdout.write(line(row.percentOfBusy, row.area));
if (values.match !== undefined) {
  process.stdout.write(`inclusive time of /${values.match}/:\n`);
  for (const row of summary.inclusive) process.stdout.write(line(row.percentOfBusy, row.function));
}
