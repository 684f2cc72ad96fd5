import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second for /proc CPU times (getconf CLK_TCK is 100 on Linux). */
const TICKS = 100;

function stat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS };
  } catch {
    return undefined;
  }
}

/** The process and all its descendants (nginx workers, cluster workers). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = stat(Number(entry));
    if (info === undefined) continue;
    const list = children.get(info.ppid) ?? [];
    list.push(Number(entry));
    children.set(info.ppid, list);
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    out.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return out;
}

/** CPU time (user + system) in ms used so far by the process tree. */
export function cpuMs(pids: number[]): number {
  let total = 0;
  for (const pid of pids) total += stat(pid)?.cpuMs ?? 0;
  return total;
}

/** Resident memory (MB) of the process tree now. */
export function rssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) kb += Number(match[1]);
    } catch {
      // exited
    }
  }
  return kb / 1024;
}
