import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Send a signal and wait for exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  dataDir: string;
}

export interface StartOptions {
  config?: unknown;
  env?: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
  /** Leave --port/--host out, so PORT/HOST from `env` apply. */
  addressFromEnv?: boolean;
  /** Reuse this data directory (e.g. the `dataDir` of a stopped gateway) instead of a new one. */
  dataDir?: string;
}

/**
 * Start the real gateway (the built CLI) on a free loopback port and wait until it prints its
 * address. The config is written to a temporary file; the data directory is temporary too.
 */
export async function startGateway(options: StartOptions = {}): Promise<GatewayProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-test-'));
  const dataDir = options.dataDir ?? path.join(dir, 'data');
  const args = [CLI, 'start', ...(options.addressFromEnv ? [] : ['--port', '0', '--host', '127.0.0.1']), '--data-dir', dataDir];
  if (options.config !== undefined) {
    const file = path.join(dir, 'switchyard.yaml');
    writeFileSync(file, stringify(options.config));
    args.push('--config', file);
  }
  args.push(...(options.args ?? []));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...options.env };
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output}`)), options.timeoutMs ?? 15_000);
    const check = (): void => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    dataDir,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
