#!/usr/bin/env node
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { ConfigError, readConfigFile, validateConfig } from '../config/load-config.js';
import { VERSION } from '../version.js';
import { runClusterPrimary, type WorkerMessage } from './cluster-primary.js';
import { HELP } from './help.js';
import { fail, startGatewayProcess, type StartOptions } from './start-gateway.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string', short: 'H' },
  'data-dir': { type: 'string', short: 'd' },
  workers: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

async function start(options: StartOptions): Promise<void> {
  const started = await startGatewayProcess(options);
  if (cluster.isWorker) process.send?.({ type: 'listening', summary: started.summary } satisfies WorkerMessage);
  else process.stdout.write(`${started.summary}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      if (cluster.isWorker) return;
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    const inflight = started.inflight();
    if (!cluster.isWorker) {
      process.stdout.write(
        `${signal} received: no longer accepting connections; waiting up to ${started.shutdownTimeoutMs} ms for ${inflight} in-flight request${inflight === 1 ? '' : 's'}\n`,
      );
    }
    started.stop().then(
      (drained) => {
        if (!cluster.isWorker) process.stdout.write(drained ? 'All requests finished; bye.\n' : 'Shutdown deadline reached; remaining connections were closed.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function validate(file: string | undefined): void {
  if (file === undefined) fail('validate needs --config FILE');
  let raw: unknown;
  try {
    raw = readConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const { issues } = validateConfig(raw, process.env, file);
  if (issues.length > 0) {
    process.stderr.write(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n`);
    for (const issue of issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`${file}: OK\n`);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    fail(`${(error as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return void process.stdout.write(HELP);
  if (values.version) return void process.stdout.write(`${VERSION}\n`);
  const command = positionals[0] ?? 'start';
  if (positionals.length > 1) fail(`Unexpected argument "${positionals[1]}"\n\n${HELP}`);
  switch (command) {
    case 'start': {
      const workers = values.workers === undefined ? 1 : Number(values.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) fail(`--workers: "${values.workers}" is not a number from 1 to 64`);
      if (workers > 1 && cluster.isPrimary) return runClusterPrimary(values, workers);
      return start(values);
    }
    case 'validate':
      return validate(values.config);
    case 'help':
      return void process.stdout.write(HELP);
    default:
      fail(`Unknown command "${command}"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`switchyard: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
