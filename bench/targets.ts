import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface RunningTarget {
  url: string;
  pid: number;
  /** Headers every request to this target needs. */
  headers: string[];
  model: string;
  stop(): Promise<void>;
}

export interface Target {
  name: string;
  label: string;
  /** Measured as a proxy (CPU, RSS); false for the direct baseline. */
  proxy: boolean;
  /** `nodeFlags` go to the target's node process when it is one of ours (bench:profile's --cpu-prof). */
  start(upstream: string, core: number, nodeFlags?: string[]): Promise<RunningTarget>;
}

/** Spawn pinned to one core; resolve with the first stdout line matching `ready`. */
export function spawnPinned(core: number | string, command: string, args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn('taskset', ['-c', String(core), command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${output}`)), 30_000);
    const onData = (data: Buffer): void => {
      output += data.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
  });
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** taskset execs the command, so the child's pid is the pinned process itself. */
function pidOf(child: ChildProcess): number {
  return child.pid!;
}

const direct: Target = {
  name: 'direct',
  label: 'Direct to the mock (no proxy)',
  proxy: false,
  async start(upstream) {
    return { url: upstream, pid: 0, headers: [], model: 'gpt-4o-mini', stop: async () => undefined };
  },
};

const bareNode: Target = {
  name: 'bare-node',
  label: 'Bare Node proxy (node:http + undici, no features)',
  proxy: true,
  async start(upstream, core) {
    const { child, match } = await spawnPinned(core, TSX, [path.join(ROOT, 'bench/targets/bare-proxy.ts'), '--port', '0', '--upstream', upstream], /\{"port":(\d+)\}/);
    return { url: `http://127.0.0.1:${match[1]}`, pid: pidOf(child), headers: [], model: 'gpt-4o-mini', stop: () => stopChild(child) };
  },
};

const nginx: Target = {
  name: 'nginx',
  label: 'nginx (Debian package, keep-alive upstream)',
  proxy: true,
  async start(upstream, core) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-nginx-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const upstreamHost = new URL(upstream).host;
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log stderr warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  upstream mock { server ${upstreamHost}; keepalive 256; }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`,
    );
    const child = spawn('taskset', ['-c', String(core), 'nginx', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: 'HEAD' });
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return { url: `http://127.0.0.1:${port}`, pid: pidOf(child), headers: [], model: 'gpt-4o-mini', stop: () => stopChild(child, 'SIGQUIT') };
  },
};

const portkey: Target = {
  name: 'portkey',
  label: "Portkey's gateway (@portkey-ai/gateway from npm)",
  proxy: true,
  async start(upstream, core) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const entry = path.join(ROOT, 'bench/node_modules/@portkey-ai/gateway/build/start-server.js');
    // portkey-stream-fix.mjs: without it every streamed request fails on Node (see the file).
    const fix = path.join(ROOT, 'bench/targets/portkey-stream-fix.mjs');
    const { child } = await spawnPinned(core, process.execPath, ['--import', fix, entry, `--port=${port}`, '--headless'], /Ready for connections/, { NODE_ENV: 'production' });
    return {
      url: `http://127.0.0.1:${port}`,
      pid: pidOf(child),
      headers: ['x-portkey-provider: openai', `x-portkey-custom-host: ${upstream}/v1`, 'authorization: Bearer sk-bench'],
      model: 'gpt-4o-mini',
      stop: () => stopChild(child),
    };
  },
};

/** Switchyard from the built CLI with the given config (providers added here). */
function switchyard(name: string, label: string, extra: (dir: string) => Record<string, unknown>, headers: string[] = [], workers?: number): Target {
  return {
    name,
    label,
    proxy: true,
    async start(upstream, core, nodeFlags = []) {
      const dir = mkdtempSync(path.join(tmpdir(), `bench-${name}-`));
      const config = {
        logging: { level: 'warn', requests: false },
        ...extra(dir),
        // Routing isolates providers with 256 attempts in flight and 512 queued by default
        // (docs/routing.md), and keeps at most 256 sockets per upstream origin; the
        // 1,000-concurrent-streams phase would measure that queue (each HTTP/1.1 stream holds a
        // socket), not streaming, so the bench provider gets room for every stream it sends.
        providers: {
          openai: {
            baseUrl: `${upstream}/v1`,
            keys: [{ name: 'bench', value: 'sk-bench' }],
            maxConnections: 2048,
            concurrency: { maxInFlight: 2048, queue: 2048 },
          },
        },
      };
      writeFileSync(path.join(dir, 'switchyard.yaml'), stringify(config));
      const args = [path.join(ROOT, 'dist/cli/main.js'), 'start', '--config', path.join(dir, 'switchyard.yaml'), '--port', '0', '--data-dir', path.join(dir, 'data')];
      if (workers !== undefined) args.push('--workers', String(workers));
      // N workers get N consecutive cores from the proxy's core.
      const cores = Array.from({ length: workers ?? 1 }, (_, index) => core + index).join(',');
      const child = spawn('taskset', ['-c', cores, process.execPath, ...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SWITCHYARD_ADMIN_KEY: 'bench-admin' } });
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`switchyard did not start:\n${output}`)), 30_000);
        child.stdout!.on('data', (data: Buffer) => {
          output += data.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
        child.once('exit', (code) => reject(new Error(`switchyard exited ${code}:\n${output}`)));
      });
      return { url, pid: pidOf(child), headers, model: 'openai/gpt-4o-mini', stop: () => stopChild(child) };
    },
  };
}

export const TARGETS: Target[] = [
  direct,
  nginx,
  bareNode,
  portkey,
  // The request log and metrics are on by default: "nothing on" turns them off, so the
  // full-features target (bench/full-features.ts) shows what the features add.
  switchyard('switchyard-passthrough', 'Switchyard, passthrough, nothing on', () => ({
    observability: { logs: { enabled: false }, metrics: { enabled: false } },
  })),
];

/** Register the full-features Switchyard target (defined where its config is known). */
export function switchyardTarget(name: string, label: string, extra: (dir: string) => Record<string, unknown>, headers: string[] = [], workers?: number): Target {
  return switchyard(name, label, extra, headers, workers);
}
