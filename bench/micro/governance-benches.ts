/**
 * Governance on the hot path: the virtual-key lookup (what the authenticate hook does per
 * request) and the rate-limit check on the in-process counters (what admission does per
 * request without Redis), with the request and token limits of one key.
 */
import type { IncomingMessage } from 'node:http';
import { bench, group, summary } from 'mitata';
import { GovernanceState } from '../../src/governance/governance-state.js';
import { budgetCharges, rateCharges } from '../../src/governance/limit-charges.js';
import { readClientKeys } from '../../src/governance/read-client-key.js';
import { hashesEqual, hashVirtualKey } from '../../src/governance/virtual-key-secret.js';
import { InProcessCounters } from '../../src/store/counters/in-process-counters.js';
import { benchVirtualKeys } from '../governance/bench-virtual-keys.js';

const KEYS = 10_000;
const state = new GovernanceState({
  customers: [],
  teams: [],
  virtualKeys: benchVirtualKeys(KEYS, (index) => `sk-sy-bench-${index}-0123456789abcdef`),
  providerLimits: [],
  providers: [],
  providerKeys: [],
});
const request = {
  headers: { authorization: 'Bearer sk-sy-bench-4242-0123456789abcdef' },
  url: '/v1/chat/completions',
} as unknown as IncomingMessage;
const subjects = state.keysById.get('k4242')!.subjects;
const counters = new InProcessCounters(async () => 0);
let requestNumber = 0;

export function registerGovernanceBenches(): void {
  summary(() => {
    group(`governance: virtual-key lookup (${KEYS.toLocaleString('en')} keys)`, () => {
      bench('read the header, SHA-256, map lookup, constant-time compare', () => {
        const [key] = readClientKeys(request);
        const hash = hashVirtualKey(key!);
        const found = state.keysByHash.get(hash);
        if (found === undefined || !hashesEqual(hash, found.key.keyHash)) throw new Error('not found');
        return found;
      });
    });
  });
  summary(() => {
    group('governance: rate-limit check, in-process counters (requests + tokens limit of one key)', () => {
      bench('admit (GCRA take on both limits) + settle (token correction)', async () => {
        const id = `r${requestNumber++}`;
        const rates = rateCharges(subjects, 134);
        const result = await counters.admit(id, [], rates, 600_000);
        await counters.settle(id, [], [{ counter: rates[1]!.counter, limit: rates[1]!.limit, periodMs: rates[1]!.periodMs, delta: -30 }]);
        return result;
      });
      bench('the same with the key budget reserved and settled', async () => {
        const id = `r${requestNumber++}`;
        const budgets = budgetCharges(subjects, Date.now(), 50_000);
        const rates = rateCharges(subjects, 134);
        const result = await counters.admit(id, budgets, rates, 600_000);
        await counters.settle(
          id,
          budgets.map((charge) => ({ counter: charge.counter, subject: charge.subject, window: charge.window, reservedNano: 50_000, actualNano: 40_000 })),
          [{ counter: rates[1]!.counter, limit: rates[1]!.limit, periodMs: rates[1]!.periodMs, delta: -30 }],
        );
        return result;
      });
    });
  });
}
