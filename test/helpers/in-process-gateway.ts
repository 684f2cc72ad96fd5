import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateConfig } from '../../src/config/load-config.js';
import { createGateway, type Gateway, type GatewayModule, type GatewayModuleFactory } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';

export interface TestGateway {
  gateway: Gateway;
  url: string;
  close(): Promise<void>;
}

/**
 * A gateway in this process on a free loopback port, from a config object (as the file would
 * hold it). Logs are silent unless SWITCHYARD_TEST_LOGS is set.
 */
export async function startTestGateway(config: Record<string, unknown>, options: { env?: Record<string, string>; modules?: Array<GatewayModule | GatewayModuleFactory> } = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchyard-unit-'));
  const { config: validated, issues } = validateConfig(
    { dataDir, ...config, server: { port: 0, ...(config.server as object | undefined) } },
    options.env ?? {},
  );
  if (validated === undefined) throw new Error(`invalid test config: ${JSON.stringify(issues)}`);
  const logger = createLogger({ level: process.env.SWITCHYARD_TEST_LOGS ? 'debug' : 'silent', sync: true });
  const gateway = await createGateway(validated, { logger, env: options.env ?? {}, ...(options.modules ? { modules: options.modules } : {}) });
  const { url } = await gateway.listen();
  return {
    gateway,
    url,
    async close() {
      await gateway.close();
    },
  };
}
