import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, type RunningTarget } from './targets.js';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** What bench/load-generator.ts prints (its last stdout line). */
export interface GeneratorResult {
  achievedRate: number;
  completed: number;
  totalCompleted: number;
  errors: number;
  errorSamples: string[];
  latencyMs: Record<string, number> | null;
  firstByteMs: Record<string, number> | null;
  chunkGapMs: Record<string, number> | null;
}

/**
 * Run the load generator against a started target, pinned to `cores`, with the target's URL,
 * model and headers; `args` adds the mode, rate, concurrency or stream options.
 */
export async function runGenerator(
  target: RunningTarget,
  options: { cores: string; durationSeconds: number; warmupSeconds: number; args: string[] },
): Promise<GeneratorResult> {
  const args = [
    path.join(ROOT, 'bench/load-generator.ts'),
    '--url',
    target.url,
    '--model',
    target.model,
    '--duration',
    String(options.durationSeconds),
    '--warmup',
    String(options.warmupSeconds),
    ...target.headers.flatMap((header) => ['--header', header]),
    ...options.args,
  ];
  const child = spawn('taskset', ['-c', options.cores, TSX, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (data: Buffer) => (output += data.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return JSON.parse(output.trim().split('\n').at(-1)!) as GeneratorResult;
}
