import { ConfigError, loadConfig, type GatewayConfig } from '../config/load-config.js';
import { createGateway } from '../gateway.js';
import { startupSummary } from './print-startup.js';

export interface StartOptions {
  config?: string;
  port?: string;
  host?: string;
  'data-dir'?: string;
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Load the config with the command-line overrides, or exit with every problem listed. */
export function loadConfigOrExit(options: StartOptions): GatewayConfig {
  let port: number | undefined;
  if (options.port !== undefined) {
    port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: "${options.port}" is not a port number`);
  }
  try {
    return loadConfig({
      ...(options.config === undefined ? {} : { file: options.config }),
      overrides: {
        ...(port === undefined ? {} : { port }),
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(options['data-dir'] === undefined ? {} : { dataDir: options['data-dir'] }),
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export interface StartedGateway {
  summary: string;
  /** Graceful stop; resolves true when every request finished before the deadline. */
  stop(): Promise<boolean>;
  inflight(): number;
  shutdownTimeoutMs: number;
}

/** Start one gateway process (or one cluster worker) and return how to stop it. */
export async function startGatewayProcess(options: StartOptions): Promise<StartedGateway> {
  const config = loadConfigOrExit(options);
  const gateway = await createGateway(config);
  let address;
  try {
    address = await gateway.listen();
  } catch (error) {
    fail(`Cannot listen on ${config.server.host}:${config.server.port}: ${(error as Error).message}`);
  }
  return {
    summary: startupSummary(gateway, address.url),
    stop: async () => (await gateway.close()).drained,
    inflight: () => gateway.server.inflight,
    shutdownTimeoutMs: config.server.shutdownTimeout,
  };
}
