import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/**
 * A real PostgreSQL server from Debian's packages on a free loopback port, with a throwaway
 * data folder. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export interface PostgresServer {
  url: string;
  port: number;
  pid(): number | undefined;
  /** Stop the server (fast shutdown), keeping its data. */
  stop(): Promise<void>;
  /** Start it again on the same port and data. */
  start(): Promise<void>;
  /** Stop and delete everything. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql); .ci/run installs it');
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return path.join(root, versions[0]!, 'bin');
}

const isRoot = process.getuid?.() === 0;

/** As root, processes run as Debian's `postgres` user (spawned with its uid/gid directly). */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  };
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`PostgreSQL did not become ready: ${String(lastError)}`);
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-pg-'));
  const data = path.join(dir, 'data');
  const user = postgresUser();
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
    stdio: 'pipe',
    cwd: dir,
    ...(user ?? {}),
  });
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ];
    child = spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore', cwd: dir, ...(user ?? {}) });
    await waitReady(url, 20_000);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGINT');
    await exited;
  };
  await start();
  return {
    url,
    port,
    pid: () => child?.pid,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
