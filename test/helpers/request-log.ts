import { observabilityOf } from '../../src/observability/observability-module.js';
import type { TestGateway } from './in-process-gateway.js';

/**
 * Wait until every request the gateway has answered is in its log store: first no request in
 * flight (completion hooks run just after a client has its answer), then the log pipeline drained.
 */
export async function logsSettled(gateway: TestGateway): Promise<void> {
  for (let tries = 0; tries < 500 && gateway.gateway.server.inflight > 0; tries++)
    await new Promise((resolve) => setTimeout(resolve, 5));
  await observabilityOf(gateway.gateway.runtime)!.log!.pipeline.drained();
}
