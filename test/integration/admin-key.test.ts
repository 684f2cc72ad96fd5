import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type GatewayProcess } from '../helpers/gateway-process.js';

/*
 * The generated admin key (DESIGN §2: "generated on first start into the data directory and
 * printed once"), through the real CLI (needs `npm run build`): without SWITCHYARD_ADMIN_KEY the
 * first start makes a key, saves it readable by its owner only and prints it once; later starts
 * on the same data directory use the same key and print nothing; SWITCHYARD_ADMIN_KEY, when
 * set, is the only key accepted.
 */

const PRINTED = /Admin API key \(generated once, saved in (?<file>\S+)\): (?<key>\S+)/;

function occurrences(text: string, value: string): number {
  return text.split(value).length - 1;
}

async function adminStatus(gateway: GatewayProcess, key: string): Promise<number> {
  const response = await fetch(`${gateway.url}/api/virtual-keys`, { headers: { authorization: `Bearer ${key}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('generated admin key', () => {
  const running: GatewayProcess[] = [];
  afterEach(async () => {
    for (const gateway of running.splice(0)) await gateway.stop();
  });

  it('is generated and printed on the first start only, saved with mode 0600, and reused on restart', async () => {
    const first = await startGateway();
    running.push(first);
    const printed = PRINTED.exec(first.output());
    expect(printed, first.output()).not.toBeNull();
    const { file, key } = printed!.groups!;
    expect(key).toMatch(/^sy-admin-[A-Za-z0-9_-]{32}$/);
    expect(file).toBe(path.join(first.dataDir, 'admin-key'));
    expect(readFileSync(file!, 'utf8').trim()).toBe(key);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    // Printed once, and nowhere else in the output (not in a log line).
    expect(occurrences(first.output(), key!)).toBe(1);
    expect(await adminStatus(first, key!)).toBe(200);
    expect(await adminStatus(first, `${key}x`)).toBe(401);
    await first.stop();
    running.pop();

    const second = await startGateway({ dataDir: first.dataDir });
    running.push(second);
    expect(await adminStatus(second, key!)).toBe(200);
    expect(second.output()).not.toMatch(/Admin API key/);
    expect(occurrences(second.output(), key!)).toBe(0);
    expect(readFileSync(file!, 'utf8').trim()).toBe(key);
    expect(statSync(file!).mode & 0o777).toBe(0o600);
    await second.stop();
    running.pop();

    // SWITCHYARD_ADMIN_KEY wins: the saved key no longer opens the admin API, and nothing is printed.
    const fromEnv = await startGateway({ dataDir: first.dataDir, env: { SWITCHYARD_ADMIN_KEY: 'sy-admin-from-env' } });
    running.push(fromEnv);
    expect(await adminStatus(fromEnv, 'sy-admin-from-env')).toBe(200);
    expect(await adminStatus(fromEnv, key!)).toBe(401);
    expect(fromEnv.output()).not.toMatch(/Admin API key/);
    expect(occurrences(fromEnv.output(), key!)).toBe(0);
  });
});
