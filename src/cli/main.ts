#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, readConfigFile, validateConfig } from '../config/load-config.js';
import { createGateway } from '../gateway.js';
import { VERSION } from '../version.js';
import { HELP } from './help.js';
import { startupSummary } from './print-startup.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string', short: 'H' },
  'data-dir': { type: 'string', short: 'd' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function start(values: { config?: string; port?: string; host?: string; 'data-dir'?: string }): Promise<void> {
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: "${values.port}" is not a port number`);
  }
  let config;
  try {
    config = loadConfig({
      ...(values.config === undefined ? {} : { file: values.config }),
      overrides: {
        ...(port === undefined ? {} : { port }),
        ...(values.host === undefined ? {} : { host: values.host }),
        ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const gateway = await createGateway(config);
  let address;
  try {
    address = await gateway.listen();
  } catch (error) {
    fail(`Cannot listen on ${config.server.host}:${config.server.port}: ${(error as Error).message}`);
  }
  process.stdout.write(`${startupSummary(gateway, address.url)}\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    const inflight = gateway.server.inflight;
    process.stdout.write(
      `${signal} received: no longer accepting connections; waiting up to ${config.server.shutdownTimeout} ms for ${inflight} in-flight request${inflight === 1 ? '' : 's'}\n`,
    );
    gateway.close().then(
      ({ drained }) => {
        process.stdout.write(drained ? 'All requests finished; bye.\n' : 'Shutdown deadline reached; remaining connections were closed.\n');
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
    case 'start':
      return start(values);
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
