/**
 * Summarise a V8 CPU profile (`node --cpu-prof`): self time per function, the share per area
 * (Switchyard's folders, each package, Node internals), and optionally the inclusive time of
 * functions matching a pattern. Shared by bench/profile.ts and bench/profile-summary.ts.
 */

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled wall time, milliseconds. */
  totalMs: number;
  /** Share of the wall time the thread was not idle. */
  busyShareOfWallPercent: number;
  /** Shares below are of the busy time. */
  topFunctions: Array<{ function: string; percentOfBusy: number }>;
  areas: Array<{ area: string; percentOfBusy: number }>;
  inclusive: Array<{ function: string; percentOfBusy: number }>;
}

type ProfileNode = CpuProfile['nodes'][number];

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|src|dist)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file}${url ? `:${lineNumber + 1}` : ''}`;
}

function area(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (url.includes('/dist/')) return `switchyard ${url.split('/dist/')[1]!.split('/')[0]}`;
  if (url.includes('node_modules/')) {
    const parts = url.split('node_modules/').at(-1)!.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return ['(idle)', '(garbage collector)', '(program)'].includes(functionName) ? functionName : 'native';
}

/** True when the profile is of a thread that ran the gateway's request pipeline. */
export function isGatewayProfile(profile: CpuProfile): boolean {
  return profile.nodes.some((node) => node.callFrame.url.includes('/dist/pipeline/'));
}

export function summariseCpuProfile(profile: CpuProfile, options: { top?: number; match?: RegExp } = {}): ProfileSummary {
  const top = options.top ?? 25;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  });
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  for (const [id, time] of selfTime) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += time;
      continue;
    }
    const key = label(node);
    byFunction.set(key, (byFunction.get(key) ?? 0) + time);
    const group = area(node);
    byArea.set(group, (byArea.get(group) ?? 0) + time);
    if (options.match === undefined) continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (seen.has(name) || !options.match.test(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  const busy = total - idle;
  const share = (time: number): number => Math.round((time / busy) * 1000) / 10;
  const ranked = <K extends string>(map: Map<string, number>, key: K, count: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, time]) => ({ [key]: name, percentOfBusy: share(time) }) as Record<K, string> & { percentOfBusy: number });
  return {
    totalMs: Math.round(total / 1000),
    busyShareOfWallPercent: Math.round((busy / total) * 1000) / 10,
    topFunctions: ranked(byFunction, 'function', top),
    areas: ranked(byArea, 'area', 20),
    inclusive: ranked(inclusive, 'function', top),
  };
}
