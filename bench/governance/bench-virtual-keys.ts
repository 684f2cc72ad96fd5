import type { VirtualKeyRecord } from '../../src/governance/entities.js';
import { hashVirtualKey } from '../../src/governance/virtual-key-secret.js';

/** A budget and a rate limit far above anything a benchmark sends: checked, never refusing. */
export const BENCH_LIMITS = {
  budget: [{ usd: 100, period: '1d', calendar: false }],
  rateLimit: [{ requests: 1e9, tokens: 1e12, per: '1m' }],
};

/** `count` active virtual keys k0…k(count-1) with BENCH_LIMITS, whose secrets are `secret(index)`. */
export function benchVirtualKeys(count: number, secret: (index: number) => string, fields: Partial<VirtualKeyRecord> = {}): VirtualKeyRecord[] {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => ({
    id: `k${index}`,
    name: `k${index}`,
    keyHash: hashVirtualKey(secret(index)),
    keyHint: '',
    active: true,
    source: 'api' as const,
    ...BENCH_LIMITS,
    metadata: {},
    createdAt: now,
    updatedAt: now,
    ...fields,
  }));
}
