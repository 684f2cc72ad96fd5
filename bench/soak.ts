/**
 * Soak: Switchyard with every feature on, 2,000 requests/s for 10 minutes (open loop), RSS
 * sampled every 10 s. The claim to check: after warm-up, memory stays flat (within 10%).
 *   npm run bench:soak [-- --minutes 10 --rate 2000 --target switchyard-full]
 * Writes bench/results/soak.json; `npm run bench:report` puts it into docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FULL_FEATURES_TARGETS } from './full-features.js';
import { processTree, rssMb } from './process-stats.js';
import { runGenerator } from './run-generator.js';
import { ROOT, spawnPinned, stopChild, TARGETS } from './targets.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '2000' },
    target: { type: 'string', default: 'switchyard-full' },
  },
});
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const minutes = Number(values.minutes);
const target = [...TARGETS, ...FULL_FEATURES_TARGETS].find((candidate) => candidate.name === values.target);
if (target === undefined) throw new Error(`no target ${values.target}`);

const mock = await spawnPinned(1, TSX, [path.join(ROOT, 'bench/mock-upstream.ts'), '--port', '0'], /\{"port":(\d+)\}/);
const samples: Array<{ atSeconds: number; rssMb: number }> = [];
// The mock is stopped even when the target fails to start or the run fails.
const load = await (async () => {
  try {
    const running = await target.start(`http://127.0.0.1:${mock.match[1]}`, 0);
    const started = Date.now();
    const sampler = setInterval(() => samples.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMb: Math.round(rssMb(processTree(running.pid)) * 10) / 10 }), 10_000);
    try {
      return await runGenerator(running, {
        cores: '1',
        durationSeconds: minutes * 60,
        warmupSeconds: 5,
        args: ['--mode', 'open', '--rate', values.rate!],
      });
    } finally {
      clearInterval(sampler);
      await running.stop();
    }
  } finally {
    await stopChild(mock.child);
  }
})();

// Warm-up: the first minute (caches, JIT, pools filling). Flat = last minute within 10% of the second.
const minute = (from: number, to: number) => samples.filter((sample) => sample.atSeconds > from && sample.atSeconds <= to).map((sample) => sample.rssMb);
const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / Math.max(1, list.length);
const early = mean(minute(60, 120));
const late = mean(minute(minutes * 60 - 60, minutes * 60 + 30));
const result = {
  date: new Date().toISOString(),
  target: target.name,
  rate: Number(values.rate),
  minutes,
  achievedRate: load.achievedRate,
  errors: load.errors,
  latencyMs: load.latencyMs,
  rssSecondMinuteMb: Math.round(early * 10) / 10,
  rssLastMinuteMb: Math.round(late * 10) / 10,
  growthPercent: Math.round(((late - early) / early) * 1000) / 10,
  peakRssMb: Math.max(...samples.map((sample) => sample.rssMb)),
  samples,
};
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, 'bench/results/soak.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stderr.write(`soak ${target.name} ${values.rate}/s × ${minutes} min: ${load.achievedRate.toFixed(0)}/s, errors ${load.errors}, RSS ${result.rssSecondMinuteMb} → ${result.rssLastMinuteMb} MB (${result.growthPercent}%), peak ${result.peakRssMb} MB\n`);
