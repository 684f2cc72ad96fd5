/**
 * How should `--workers N` share budget and rate-limit counters without Redis? Measures the two
 * candidates on this machine, as each worker would see them per admission:
 *
 *  1. IPC to the cluster primary, with the gateway's own pieces (ClusterCounters in the
 *     workers, PrimaryServices/CounterHost in the primary): the admission (3 budgets, 6 rate
 *     limits) is one call, the settlement one notice (not waited for, as on the request path). Measured with one
 *     request at a time (latency) and 64 in flight per worker (throughput), with node's `json`
 *     and `advanced` IPC serialisation, two workers at once.
 *  2. A SQLite counter table shared by the workers (WAL, synchronous=NORMAL): each admission is
 *     one `BEGIN IMMEDIATE` transaction (read the counters, check, write reservation and TATs),
 *     each settlement one more.
 *     Measured with one process and with two processes contending. Note what the numbers hide:
 *     better-sqlite3 is synchronous, so every transaction blocks the worker's event loop, and a
 *     contended lock is waited for with SQLite's busy handler, which sleeps the whole thread.
 *
 *   node --import tsx bench/cluster/counter-transport.ts [--operations 20000] [--only ipc|sqlite]
 */
import Database from 'better-sqlite3';
import cluster from 'node:cluster';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PrimaryServices } from '../../src/cluster/primary-services.js';
import { primaryChannel, WORKER_ENV } from '../../src/cluster/worker-channel.js';
import { ClusterCounters } from '../../src/store/counters/cluster-counters.js';
import { gcraTake } from '../../src/store/counters/gcra.js';
import { InProcessCounters } from '../../src/store/counters/in-process-counters.js';
import type { BudgetCharge, RateCharge } from '../../src/store/counters/counter-store.js';

const { values } = parseArgs({
  options: {
    operations: { type: 'string', default: '20000' },
    role: { type: 'string' },
    serialization: { type: 'string', default: 'json' },
    file: { type: 'string' },
    only: { type: 'string' },
    'in-flight': { type: 'string', default: '1' },
  },
});
const OPERATIONS = Number(values.operations);
const window = { start: 0, end: Number.MAX_SAFE_INTEGER };

function charges(): { budgets: BudgetCharge[]; rates: RateCharge[] } {
  const budgets: BudgetCharge[] = ['virtual-key', 'team', 'customer'].map((scope) => ({
    counter: `${scope}:id-${scope}:1d:1700000000000`,
    subject: { scope: scope as 'team', id: `id-${scope}` },
    window,
    limitNano: 1e18,
    amountNano: 12_345,
  }));
  const rates: RateCharge[] = [];
  for (const scope of ['virtual-key', 'team', 'customer']) {
    for (const kind of ['requests', 'tokens'] as const) {
      rates.push({
        counter: `${scope}:id-${scope}:${kind}:60000`,
        subject: { scope: scope as 'team', id: `id-${scope}` },
        kind,
        limit: 1e12,
        periodMs: 60_000,
        cost: kind === 'tokens' ? 300 : 1,
      });
    }
  }
  return { budgets, rates };
}

function report(label: string, micros: number): void {
  process.stdout.write(`${label.padEnd(72)} ${micros.toFixed(1).padStart(8)} µs/op\n`);
}

// ---------- 1. IPC to the primary ----------

/** A worker: the gateway's own ClusterCounters over the cluster channel (as in production). */
async function ipcWorker(inFlight: number): Promise<void> {
  const channel = primaryChannel()!;
  const counters = new ClusterCounters(channel, async () => 0);
  const { budgets, rates } = charges();
  const settlements = budgets.map((charge) => ({ ...charge, reservedNano: charge.amountNano, actualNano: 10_000 }));
  let next = 0;
  const once = async (): Promise<void> => {
    const requestId = `r${process.pid}-${next++}`;
    await counters.admit(requestId, budgets, rates, 600_000);
    await counters.settle(requestId, settlements, []);
  };
  const loops = async (operations: number): Promise<void> => {
    let done = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (done < operations) {
          done++;
          await once();
        }
      }),
    );
  };
  await loops(2000);
  const start = performance.now();
  await loops(OPERATIONS);
  process.send!({ benchResult: ((performance.now() - start) * 1000) / OPERATIONS });
}

/** The primary: the gateway's PrimaryServices (CounterHost behind the cluster channel). */
async function ipcPrimary(serialization: 'json' | 'advanced', inFlight: number): Promise<void> {
  cluster.setupPrimary({
    serialization,
    args: ['--role', 'ipc-worker', '--operations', String(OPERATIONS), '--in-flight', String(inFlight)],
  });
  const services = new PrimaryServices();
  const results: number[] = [];
  const cpuBefore = process.cpuUsage();
  await new Promise<void>((resolve) => {
    for (let index = 0; index < 2; index++) {
      const worker = cluster.fork({ [WORKER_ENV]: '1' });
      services.attach(worker);
      worker.on('message', (message: { benchResult?: number }) => {
        if (message.benchResult === undefined) return;
        results.push(message.benchResult);
        worker.kill();
        if (results.length === 2) resolve();
      });
    }
  });
  const cpu = process.cpuUsage(cpuBefore);
  services.close();
  const mean = results.reduce((sum, result) => sum + result, 0) / results.length;
  const what = inFlight === 1 ? 'one request at a time: admit round trip + settle' : `${inFlight} in flight each: per request per worker`;
  report(`IPC (${serialization}), 2 workers, ${what}`, mean);
  // Both workers ran 2000 + OPERATIONS requests (warm-up included: the primary cannot tell them apart).
  report(`IPC (${serialization}), ${inFlight} in flight: primary CPU per request`, (cpu.user + cpu.system) / (2 * (2000 + OPERATIONS)));
}

// ---------- 2. SQLite counter table ----------

function openCounters(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    create table if not exists budget_counters (counter text primary key, spent integer not null, reserved integer not null);
    create table if not exists reservations (request_id text, counter text, amount integer, expires_at integer, primary key (request_id, counter));
    create table if not exists rate_counters (counter text primary key, tat real not null);
  `);
  return db;
}

function sqliteAdmitter(db: Database.Database): (requestId: string) => boolean {
  const { budgets, rates } = charges();
  const getBudget = db.prepare('select spent, reserved from budget_counters where counter = ?');
  const putBudget = db.prepare(
    'insert into budget_counters (counter, spent, reserved) values (?, 0, ?) on conflict (counter) do update set reserved = reserved + excluded.reserved',
  );
  const reserve = db.prepare('insert into reservations values (?, ?, ?, ?)');
  const getRate = db.prepare('select tat from rate_counters where counter = ?');
  const putRate = db.prepare(
    'insert into rate_counters (counter, tat) values (?, ?) on conflict (counter) do update set tat = excluded.tat',
  );
  const admit = db.transaction((requestId: string): boolean => {
    const now = Date.now();
    for (const charge of budgets) {
      const row = getBudget.get(charge.counter) as { spent: number; reserved: number } | undefined;
      if (row !== undefined && row.spent + row.reserved >= charge.limitNano) return false;
    }
    const decisions = rates.map((charge) => {
      const row = getRate.get(charge.counter) as { tat: number } | undefined;
      return gcraTake(row?.tat, now, charge.limit, charge.periodMs, charge.cost, charge.kind === 'tokens');
    });
    if (decisions.some((decision) => !decision.allowed)) return false;
    for (const charge of budgets) {
      putBudget.run(charge.counter, charge.amountNano);
      reserve.run(requestId, charge.counter, charge.amountNano, now + 600_000);
    }
    rates.forEach((charge, index) => putRate.run(charge.counter, decisions[index]!.tat));
    return true;
  });
  const dropReservation = db.prepare('delete from reservations where request_id = ? and counter = ? returning amount');
  const settleBudget = db.prepare('update budget_counters set reserved = reserved - ?, spent = spent + ? where counter = ?');
  const settle = db.transaction((requestId: string): void => {
    for (const charge of budgets) {
      const row = dropReservation.get(requestId, charge.counter) as { amount: number } | undefined;
      if (row !== undefined) settleBudget.run(row.amount, 10_000, charge.counter);
    }
  });
  return (requestId) => {
    const admitted = admit.immediate(requestId);
    settle.immediate(requestId);
    return admitted;
  };
}

function sqliteChild(file: string): void {
  const db = openCounters(file);
  const admit = sqliteAdmitter(db);
  for (let index = 0; index < 500; index++) admit(`warm-${process.pid}-${index}`);
  process.send!({ ready: true });
  process.once('message', () => {
    const start = performance.now();
    for (let index = 0; index < OPERATIONS; index++) admit(`${process.pid}-${index}`);
    process.send!({ micros: ((performance.now() - start) * 1000) / OPERATIONS });
    db.close();
    process.exit(0);
  });
}

async function sqliteParent(processes: number): Promise<void> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'counter-transport-')), 'counters.db');
  openCounters(file).close();
  const self = fileURLToPath(import.meta.url);
  const children = Array.from({ length: processes }, () =>
    fork(self, ['--role', 'sqlite-child', '--file', file, '--operations', String(OPERATIONS)], {
      execArgv: process.execArgv,
    }),
  );
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  const results = children.map(
    (child) => new Promise<number>((resolve) => child.once('message', (message: { micros: number }) => resolve(message.micros))),
  );
  for (const child of children) child.send({ go: true });
  const micros = await Promise.all(results);
  report(
    `SQLite admit + settle transactions, ${processes} process${processes === 1 ? '' : 'es'} contending (event loop blocked)`,
    micros.reduce((sum, value) => sum + value, 0) / micros.length,
  );
}

// ---------- baseline ----------

async function baseline(): Promise<void> {
  const counters = new InProcessCounters(async () => 0);
  const { budgets, rates } = charges();
  const settlements = budgets.map((charge) => ({ ...charge, reservedNano: charge.amountNano, actualNano: 10_000 }));
  const once = async (requestId: string): Promise<void> => {
    await counters.admit(requestId, budgets, rates, 600_000);
    await counters.settle(requestId, settlements, []);
  };
  for (let index = 0; index < 2000; index++) await once(`w${index}`);
  const start = performance.now();
  for (let index = 0; index < OPERATIONS; index++) await once(`r${index}`);
  report('in-process counters, admit + settle (one process; the floor)', ((performance.now() - start) * 1000) / OPERATIONS);
  await counters.close();
}

if (values.role === 'ipc-worker') await ipcWorker(Number(values['in-flight']));
else if (values.role === 'sqlite-child') sqliteChild(values.file!);
else {
  process.stdout.write(`admission with 3 budgets and 6 rate limits, ${OPERATIONS} operations per measurement\n`);
  const only = values.only;
  if (only === undefined) await baseline();
  for (const serialization of only === 'ipc' ? (['json'] as const) : only === undefined ? (['json', 'advanced'] as const) : []) {
    if (values['in-flight'] !== '64') await ipcPrimary(serialization, 1);
    await ipcPrimary(serialization, 64);
  }
  if (only === undefined || only === 'sqlite') {
    await sqliteParent(1);
    await sqliteParent(2);
  }
  process.exit(0);
}
