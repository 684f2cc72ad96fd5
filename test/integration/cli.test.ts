import { execFile } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { CLI, startGateway } from '../helpers/gateway-process.js';

const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('switchyard CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-cli-'));

  it('prints help and version', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/switchyard start \[--config FILE\] \[--port N\] \[--host H\] \[--data-dir D\]/);
    const version = await cli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((await cli(['frobnicate'])).code).toBe(1);
    expect((await cli(['--nope'])).code).toBe(1);
  });

  it('validate prints every error with its path and exits 1; a good file exits 0', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  port: high\nproviders:\n  openai:\n    keys:\n      - value: env.NOT_SET_ANYWHERE\n    colour: blue\n');
    const result = await cli(['validate', '--config', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3 problems');
    expect(result.stderr).toContain('providers.openai.keys[0].value: environment variable NOT_SET_ANYWHERE is not set');
    expect(result.stderr).toContain('server.port:');
    expect(result.stderr).toContain('providers.openai: Unrecognized key: "colour"');
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ providers: { groq: { keys: [{ value: 'env.GROQ_KEY' }] } } }));
    const ok = await cli(['validate', '--config', good], { GROQ_KEY: 'x' });
    expect(ok).toMatchObject({ code: 0, stdout: `${good}: OK\n` });
  });

  it('start refuses a broken config with a clear message', async () => {
    const bad = path.join(dir, 'broken.yaml');
    writeFileSync(bad, 'providers:\n  mystery: {}\n');
    const result = await cli(['start', '--config', bad, '--port', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/providers\.mystery\.type: "mystery" is not a built-in provider/);
  });

  it('starts with no provider, serves /health and says how to add one', async () => {
    const spawned = Date.now();
    const gateway = await startGateway();
    try {
      expect(gateway.output()).toMatch(/No providers configured: set a key such as OPENAI_API_KEY, or start with --config/);
      const response = await fetch(`${gateway.url}/health`);
      const health = (await response.json()) as { status: string; version: string; uptimeSeconds: number; providers: number };
      expect(health).toMatchObject({ status: 'ok', providers: 0 });
      expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
      // Whole seconds since the process started: at least 0, at most the time since it was spawned.
      expect(Number.isInteger(health.uptimeSeconds)).toBe(true);
      expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(health.uptimeSeconds).toBeLessThanOrEqual(Math.ceil((Date.now() - spawned) / 1000));
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get('x-switchyard-processing-ms')).toMatch(/^\d+\.\d{3}$/);
    } finally {
      expect(await gateway.stop('SIGINT')).toBe(0);
    }
  });

  it('takes providers from environment variables and lists what it can route to', async () => {
    const gateway = await startGateway({ env: { GROQ_API_KEY: 'gsk-test', OPENAI_API_KEY: 'sk-test' } });
    try {
      expect(gateway.output()).toMatch(/Providers \(from environment variables\):/);
      expect(gateway.output()).toMatch(/openai \(openai\) https:\/\/api\.openai\.com\/v1 — 1 key; models: openai\/gpt-4o/);
      expect(gateway.output()).toMatch(/groq \(groq\) https:\/\/api\.groq\.com\/openai\/v1/);
      expect(gateway.output()).not.toContain('sk-test');
    } finally {
      await gateway.stop();
    }
  });

  it('honours PORT and HOST from the environment', async () => {
    const port = await freePort();
    const gateway = await startGateway({ env: { PORT: String(port), HOST: '127.0.0.1' }, addressFromEnv: true });
    try {
      expect(gateway.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await gateway.stop();
    }
  });

  it('runs several workers on one port with --workers and stops them all on SIGTERM', async () => {
    const gateway = await startGateway({ args: ['--workers', '2'] });
    try {
      expect(gateway.output()).toMatch(/Workers: 2/);
      const pids = new Set<number>();
      // A new connection per request (fetch would reuse one), so the primary hands them round.
      const healthPid = (): Promise<number> =>
        new Promise((resolve, reject) => {
          get(`${gateway.url}/health`, { agent: false }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve((JSON.parse(body) as { pid: number }).pid));
          }).on('error', reject);
        });
      for (let i = 0; i < 100 && pids.size < 2; i++) {
        pids.add(await healthPid());
        if (pids.size < 2) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(pids.size).toBe(2);
    } finally {
      expect(await gateway.stop('SIGTERM')).toBe(0);
    }
    expect(gateway.output()).toMatch(/All workers stopped/);
  });
});
