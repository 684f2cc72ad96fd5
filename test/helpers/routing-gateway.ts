import type { RouterState } from '../../src/router/router-state.js';
import { startTestGateway, type TestGateway } from './in-process-gateway.js';

export const ADMIN_KEY = 'sy-admin-routing-tests';

/** An OpenAI-compatible provider entry pointing at a fault upstream (or any base URL). */
export function compatibleProvider(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'openai-compatible', baseUrl, keys: [{ name: 'main', value: 'sk-main' }], ...extra };
}

/** A gateway for routing tests: quiet, with a known admin key. */
export function startRoutingGateway(config: Record<string, unknown>): Promise<TestGateway> {
  return startTestGateway(config, { env: { SWITCHYARD_ADMIN_KEY: ADMIN_KEY } });
}

export interface ChatResult {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** POST /v1/chat/completions and read the whole answer. */
export async function chat(gatewayUrl: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ChatResult> {
  const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The attempt log header split into entries: provider/model, key, status, latency, reason. */
export function attemptLog(headers: Headers): Array<{ target: string; key: string; status: string; reason: string | undefined }> {
  const log = headers.get('x-switchyard-attempt-log');
  if (log === null || log === '') return [];
  return log.split(', ').map((entry) => {
    const match = /^(.*?):([^:]*):([^:]*):(\d+)ms(?::(.*))?$/.exec(entry);
    if (match === null) throw new Error(`unreadable attempt log entry: ${entry}`);
    return { target: match[1]!, key: match[2]!, status: match[3]!, reason: match[5] };
  });
}

/** GET /api/router/state with the admin key. */
export async function routerState(gatewayUrl: string): Promise<RouterState> {
  const response = await fetch(`${gatewayUrl}/api/router/state`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  if (response.status !== 200) throw new Error(`router state: HTTP ${response.status}`);
  return (await response.json()) as RouterState;
}
