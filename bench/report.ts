/**
 * Turn bench/results/latest.json into the tables and chart of docs/benchmarks.md (between the
 * BENCH:START / BENCH:END markers) and docs/benchmarks-latency.svg.
 *   npm run bench:report
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './targets.js';

interface Phase {
  phase: string;
  targetRate: number | null;
  achievedRate: number;
  errors: number;
  latencyMs: Record<string, number> | null;
  firstByteMs: Record<string, number> | null;
  chunkGapMs: Record<string, number> | null;
  cpuUsPerRequest: number | null;
  peakRssMb: number | null;
  skipped?: string;
}
interface Report {
  machine: Record<string, unknown>;
  targets: Record<string, { label: string; proxy: boolean; phases: Phase[] }>;
}

const report = JSON.parse(readFileSync(path.join(ROOT, 'bench/results/latest.json'), 'utf8')) as Report;
const ms = (value: number | undefined | null, digits = 2) => (value === undefined || value === null ? '—' : value.toFixed(digits));
const direct = report.targets.direct?.phases ?? [];
const directAt = (phase: string, rate: number | null) => direct.find((p) => p.phase === phase && p.targetRate === rate);

const lines: string[] = [];
const m = report.machine;
lines.push(`Run ${m.date} at commit \`${m.commit}\` on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}.`);
lines.push(`Pinning: ${m.pinning}. Phases: ${m.phaseSeconds} s measured after ${m.warmupSeconds} s warm-up.`, '');
lines.push('### Fixed rates (open loop, latency from the intended send time)', '');
lines.push('| Target | Rate | Achieved | p50 ms | p99 ms | p99.9 ms | Added p50 | Added p99 | Errors | CPU µs/req | Peak RSS MB |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const [name, target] of Object.entries(report.targets)) {
  for (const phase of target.phases.filter((p) => p.phase === 'open-loop')) {
    if (phase.skipped) {
      lines.push(`| ${name} | ${phase.targetRate} | ${phase.skipped} | | | | | | | | |`);
      continue;
    }
    const base = directAt('open-loop', phase.targetRate);
    const added = (key: string) => (name === 'direct' || !base?.latencyMs ? '—' : ms((phase.latencyMs?.[key] ?? 0) - (base.latencyMs[key] ?? 0), 3));
    lines.push(
      `| ${name} | ${phase.targetRate} | ${phase.achievedRate.toFixed(0)} | ${ms(phase.latencyMs?.p50, 3)} | ${ms(phase.latencyMs?.p99)} | ${ms(phase.latencyMs?.p999)} | ${added('p50')} | ${added('p99')} | ${phase.errors} | ${ms(phase.cpuUsPerRequest, 1)} | ${ms(phase.peakRssMb, 1)} |`,
    );
  }
}
lines.push('', '### Maximum throughput (closed loop, 64 in flight)', '');
lines.push('| Target | Requests/s | p50 ms | p99 ms | Errors | CPU µs/req | Peak RSS MB |', '|---|---|---|---|---|---|---|');
for (const [name, target] of Object.entries(report.targets)) {
  const phase = target.phases.find((p) => p.phase === 'max-throughput');
  if (phase) lines.push(`| ${name} | ${phase.achievedRate.toFixed(0)} | ${ms(phase.latencyMs?.p50)} | ${ms(phase.latencyMs?.p99)} | ${phase.errors} | ${ms(phase.cpuUsPerRequest, 1)} | ${ms(phase.peakRssMb, 1)} |`);
}
lines.push('', '### Streams (100 streams/s, 20 chunks 5 ms apart; and 1,000 concurrent streams, chunks 50 ms apart)', '');
lines.push('| Target | TTFB p50 ms | Added TTFB p50 | Chunk gap mean ms | Added per chunk µs | 1,000 concurrent: streams/s | errors | Peak RSS MB |', '|---|---|---|---|---|---|---|---|');
const directStream = directAt('stream', 100);
for (const [name, target] of Object.entries(report.targets)) {
  const stream = target.phases.find((p) => p.phase === 'stream');
  const many = target.phases.find((p) => p.phase === 'concurrent-streams-1000');
  if (!stream) continue;
  const addedTtfb = name === 'direct' ? '—' : ms((stream.firstByteMs?.p50 ?? 0) - (directStream?.firstByteMs?.p50 ?? 0), 3);
  const addedChunk = name === 'direct' ? '—' : (((stream.chunkGapMs?.mean ?? 0) - (directStream?.chunkGapMs?.mean ?? 0)) * 1000).toFixed(0);
  lines.push(`| ${name} | ${ms(stream.firstByteMs?.p50, 3)} | ${addedTtfb} | ${ms(stream.chunkGapMs?.mean, 3)} | ${addedChunk} | ${many ? many.achievedRate.toFixed(0) : '—'} | ${many?.errors ?? '—'} | ${ms(many?.peakRssMb, 1)} |`);
}

// Targets of the performance issue, each marked met or not with its figure.
const targetsOf = (name: string) => report.targets[name]?.phases ?? [];
const at = (name: string, phase: string, rate: number | null) => targetsOf(name).find((p) => p.phase === phase && p.targetRate === rate && !p.skipped);
const full = report.targets['switchyard-full'] ? 'switchyard-full' : undefined;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**met**' : '**not met**');
const checks: Array<[string, boolean | undefined, string]> = [];
if (full !== undefined) {
  const max = at(full, 'max-throughput', null);
  const r6000 = at(full, 'open-loop', 6000);
  // A 6,000/s phase skipped as beyond the closed-loop maximum is a measured miss, not a gap.
  const r6000Verdict = r6000 ? r6000.achievedRate >= 5900 && (r6000.latencyMs?.p99 ?? Infinity) < 20 && r6000.errors === 0 : max !== undefined && max.achievedRate < 6000 ? false : undefined;
  checks.push(['Full features: ≥ 6,000 requests/s on one core with p99 < 20 ms', r6000Verdict, r6000 ? `${r6000.achievedRate.toFixed(0)}/s at p99 ${ms(r6000.latencyMs?.p99)} ms, ${r6000.errors} errors (closed-loop max ${max?.achievedRate.toFixed(0)}/s)` : `closed-loop max ${max?.achievedRate.toFixed(0) ?? '—'}/s`]);
  for (const rate of [1000, 3000]) {
    const mine = at(full, 'open-loop', rate);
    const base = at('direct', 'open-loop', rate);
    const p50 = mine && base ? (mine.latencyMs?.p50 ?? 0) - (base.latencyMs?.p50 ?? 0) : undefined;
    const p99 = mine && base ? (mine.latencyMs?.p99 ?? 0) - (base.latencyMs?.p99 ?? 0) : undefined;
    checks.push([`Full features at ${rate}/s: added p50 ≤ 0.3 ms and p99 ≤ 2 ms`, p50 === undefined ? undefined : p50 <= 0.3 && (p99 ?? Infinity) <= 2, p50 === undefined ? '—' : `added p50 ${ms(p50, 3)} ms, p99 ${ms(p99, 3)} ms`]);
  }
}
// CPU per request is compared twice: at the same fixed rate (3,000/s, else 1,000/s), where
// fixed per-wakeup costs weigh on every target alike, and at each target's closed-loop maximum,
// the figure of the reference numbers. A target is met only when both comparisons hold.
const cpuAt = (name: string) => at(name, 'open-loop', 3000)?.cpuUsPerRequest ?? at(name, 'open-loop', 1000)?.cpuUsPerRequest;
const cpuMax = (name: string) => at(name, 'max-throughput', null)?.cpuUsPerRequest;
const cpuCheck = (label: string, name: string, factor: number): void => {
  const [rate, rateBare, max, maxBare] = [cpuAt(name), cpuAt('bare-node'), cpuMax(name), cpuMax('bare-node')];
  if (!rate || !rateBare || !max || !maxBare) return;
  checks.push([
    label,
    rate <= factor * rateBare && max <= factor * maxBare,
    `same rate: ${ms(rate, 1)} µs vs ${ms(rateBare, 1)} µs (${(rate / rateBare).toFixed(2)}×); at maximum throughput: ${ms(max, 1)} µs vs ${ms(maxBare, 1)} µs (${(max / maxBare).toFixed(2)}×)`,
  ]);
};
if (full !== undefined) cpuCheck('Full features: CPU per request ≤ 1.5× the bare Node proxy', full, 1.5);
cpuCheck('Passthrough: CPU per request ≤ 1.2× the bare Node proxy', 'switchyard-passthrough', 1.2);
const portkeyMax = at('portkey', 'max-throughput', null)?.achievedRate;
if (portkeyMax && full !== undefined) {
  const mine = at(full, 'max-throughput', null)?.achievedRate ?? 0;
  const passthrough = at('switchyard-passthrough', 'max-throughput', null)?.achievedRate;
  const also = passthrough === undefined ? '' : `; passthrough ${passthrough.toFixed(0)}/s (${(passthrough / portkeyMax).toFixed(1)}×)`;
  checks.push(['≥ 10× Portkey’s maximum throughput (full features)', mine >= 10 * portkeyMax, `${mine.toFixed(0)}/s vs ${portkeyMax.toFixed(0)}/s (${(mine / portkeyMax).toFixed(1)}×)${also}`]);
  const rates = targetsOf('portkey').filter((p) => p.phase === 'open-loop' && !p.skipped).map((p) => p.targetRate!);
  const lower = rates.every((rate) => {
    const a = at(full, 'open-loop', rate);
    const b = at('portkey', 'open-loop', rate);
    return a !== undefined && b !== undefined && (a.latencyMs?.p50 ?? Infinity) < (b.latencyMs?.p50 ?? 0) && (a.latencyMs?.p99 ?? Infinity) < (b.latencyMs?.p99 ?? 0);
  });
  checks.push(['Lower added latency than Portkey at every rate Portkey sustains (p50 and p99)', rates.length === 0 ? undefined : lower, `rates ${rates.join(', ') || 'none'}`]);
}
if (full !== undefined) {
  const peak = Math.max(...targetsOf(full).map((p) => p.peakRssMb ?? 0));
  checks.push(['Peak RSS under the heaviest phase ≤ 150 MB', peak > 0 ? peak <= 150 : undefined, `${ms(peak, 1)} MB`]);
  const stream = at(full, 'stream', 100);
  const directStreamPhase = at('direct', 'stream', 100);
  if (stream && directStreamPhase) {
    const ttfb = (stream.firstByteMs?.p50 ?? 0) - (directStreamPhase.firstByteMs?.p50 ?? 0);
    const perChunk = ((stream.chunkGapMs?.mean ?? 0) - (directStreamPhase.chunkGapMs?.mean ?? 0)) * 1000;
    checks.push(['Streaming: added time to first byte ≤ 0.5 ms', ttfb <= 0.5, `${ms(ttfb, 3)} ms`]);
    checks.push(['Streaming: added delay per chunk ≤ 50 µs', perChunk <= 50, `${perChunk.toFixed(0)} µs`]);
  }
  const many = targetsOf(full).find((p) => p.phase === 'concurrent-streams-1000');
  if (many) checks.push(['1,000 concurrent open streams served', many.errors === 0 && many.achievedRate > 0, `${many.achievedRate.toFixed(0)} streams/s completed, ${many.errors} errors`]);
}
const workers2 = targetsOf('switchyard-full-2-workers').find((p) => p.phase === 'max-throughput');
if (workers2 && full !== undefined) {
  const one = at(full, 'max-throughput', null)?.achievedRate ?? 0;
  checks.push(['--workers 2 scales throughput over one worker (2-core machine: the load generator and mock share the second core)', workers2.achievedRate > one, `${workers2.achievedRate.toFixed(0)}/s vs ${one.toFixed(0)}/s (${(workers2.achievedRate / Math.max(1, one)).toFixed(2)}×)`]);
}
let soak: { rate: number; minutes: number; achievedRate: number; errors: number; rssSecondMinuteMb: number; rssLastMinuteMb: number; growthPercent: number; peakRssMb: number; date: string } | undefined;
try {
  soak = JSON.parse(readFileSync(path.join(ROOT, 'bench/results/soak.json'), 'utf8'));
} catch {
  soak = undefined;
}
if (soak !== undefined) {
  checks.push([`Soak: ${soak.minutes} minutes at ${soak.rate}/s, RSS flat within 10%`, Math.abs(soak.growthPercent) <= 10, `${soak.rssSecondMinuteMb} → ${soak.rssLastMinuteMb} MB (${soak.growthPercent}%), ${soak.achievedRate.toFixed(0)}/s, ${soak.errors} errors (run ${soak.date})`]);
}
if (checks.length > 0) {
  lines.push('', '### Targets', '', '| Target | Result | Figure |', '|---|---|---|');
  for (const [label, ok, figure] of checks) lines.push(`| ${label} | ${verdict(ok)} | ${figure} |`);
}
let profile: { date: string; target: string; achievedRate?: number; busyShareOfWallPercent: number; topFunctions: Array<{ function: string; percentOfBusy: number }>; areas: Array<{ area: string; percentOfBusy: number }> } | undefined;
try {
  profile = JSON.parse(readFileSync(path.join(ROOT, 'bench/results/profile.json'), 'utf8'));
} catch {
  profile = undefined;
}
if (profile !== undefined) {
  lines.push('', `### CPU profile of the loaded gateway (\`${profile.target}\`, \`npm run bench:profile\`, ${profile.date})`, '');
  const rate = profile.achievedRate === undefined ? '' : `, closed loop at ${profile.achievedRate} requests/s`;
  lines.push(`The gateway's main thread was busy ${profile.busyShareOfWallPercent}% of the time${rate}. Share of busy CPU time by area:`, '', '| Area | % |', '|---|---|');
  for (const row of profile.areas.slice(0, 12)) lines.push(`| ${row.area} | ${row.percentOfBusy} |`);
  lines.push('', 'Top functions by self time:', '', '| Function | % |', '|---|---|');
  for (const row of profile.topFunctions.slice(0, 15)) lines.push(`| \`${row.function.replace(/\|/g, '\\|')}\` | ${row.percentOfBusy} |`);
}

// Chart: p50 latency added over direct, per target and rate.
const rates = [...new Set(direct.filter((p) => p.phase === 'open-loop').map((p) => p.targetRate!))];
const series = Object.entries(report.targets).filter(([name]) => name !== 'direct');
const width = 760;
const height = 360;
const left = 60;
const bottom = 40;
const barGroup = (width - left - 20) / Math.max(1, rates.length);
const values = series.flatMap(([, t]) => t.phases.filter((p) => p.phase === 'open-loop' && !p.skipped).map((p) => (p.latencyMs?.p50 ?? 0) - (directAt('open-loop', p.targetRate)?.latencyMs?.p50 ?? 0)));
const maxValue = Math.max(0.5, ...values);
const colors = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1'];
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="white"/>`;
svg += `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">p50 latency added over direct (ms), by request rate</text>`;
for (let tick = 0; tick <= 4; tick++) {
  const value = (maxValue * tick) / 4;
  const y = height - bottom - ((height - bottom - 30) * tick) / 4;
  svg += `<line x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 6}" y="${y + 4}" text-anchor="end">${value.toFixed(2)}</text>`;
}
rates.forEach((rate, rateIndex) => {
  const x0 = left + rateIndex * barGroup;
  const barWidth = (barGroup - 20) / Math.max(1, series.length);
  series.forEach(([, target], seriesIndex) => {
    const phase = target.phases.find((p) => p.phase === 'open-loop' && p.targetRate === rate);
    if (!phase || phase.skipped) return;
    const value = Math.max(0, (phase.latencyMs?.p50 ?? 0) - (directAt('open-loop', rate)?.latencyMs?.p50 ?? 0));
    const h = ((height - bottom - 30) * value) / maxValue;
    svg += `<rect x="${x0 + 10 + seriesIndex * barWidth}" y="${height - bottom - h}" width="${barWidth - 2}" height="${h}" fill="${colors[seriesIndex % colors.length]}"/>`;
  });
  svg += `<text x="${x0 + barGroup / 2}" y="${height - bottom + 16}" text-anchor="middle">${rate}/s</text>`;
});
series.forEach(([name], index) => {
  svg += `<rect x="${left + index * 120}" y="${height - 14}" width="10" height="10" fill="${colors[index % colors.length]}"/><text x="${left + 14 + index * 120}" y="${height - 5}">${name}</text>`;
});
svg += '</svg>\n';
writeFileSync(path.join(ROOT, 'docs/benchmarks-latency.svg'), svg);

const docPath = path.join(ROOT, 'docs/benchmarks.md');
const doc = readFileSync(docPath, 'utf8');
const start = doc.indexOf('<!-- BENCH:START -->');
const end = doc.indexOf('<!-- BENCH:END -->');
if (start === -1 || end === -1) throw new Error('docs/benchmarks.md lacks the BENCH:START/END markers');
writeFileSync(docPath, `${doc.slice(0, start)}<!-- BENCH:START -->\n${lines.join('\n')}\n\n![p50 added latency](benchmarks-latency.svg)\n${doc.slice(end)}`);
process.stderr.write('Updated docs/benchmarks.md and docs/benchmarks-latency.svg\n');
