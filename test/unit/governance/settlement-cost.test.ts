import { describe, expect, it } from 'vitest';
import { governanceSchema } from '../../../src/governance/governance-schema.js';
import { settlementCost } from '../../../src/governance/settlement-cost.js';
import { createRequestRecord, type AttemptRecord } from '../../../src/pipeline/request-record.js';
import type { Estimate } from '../../../src/governance/estimate-request.js';

const estimate: Estimate = {
  inputTokens: 30,
  outputTokens: 100,
  tokens: 130,
  costNano: 130_000,
  unpriced: [],
};
const settings = governanceSchema.parse({});

function record(outcome: AttemptRecord['outcome'] | undefined, extra: Record<string, unknown> = {}) {
  const value = createRequestRecord('r', 'openai', 'chat', '/v1/chat/completions');
  if (outcome !== undefined)
    value.attempts.push({
      provider: 'openai',
      model: 'm',
      status: outcome === 'success' ? 200 : 0,
      latencyMs: 1,
      outcome,
      passthrough: false,
    });
  return Object.assign(value, extra);
}

describe('what a finished request is charged', () => {
  it('charges nothing when no provider answered', () => {
    expect(settlementCost(record(undefined), estimate, settings)).toEqual({ costNano: 0, tokens: 0 });
    expect(settlementCost(record('error'), estimate, settings)).toEqual({ costNano: 0, tokens: 0 });
  });

  it('charges the priced usage', () => {
    expect(
      settlementCost(
        record('success', { usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.000015 }),
        estimate,
        settings,
      ),
    ).toEqual({ costNano: 15_000, tokens: 15 });
  });

  it('charges the reservation when usage never arrived (client gone, stream cut off)', () => {
    expect(settlementCost(record('success', { status: 499 }), estimate, settings)).toEqual({
      costNano: 130_000,
      tokens: 130,
    });
    expect(settlementCost(record('aborted'), estimate, settings)).toEqual({ costNano: 130_000, tokens: 130 });
  });

  it('prices unpriced usage by the configured fallback, or charges it as free', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0 };
    const priced = governanceSchema.parse({ unpricedModels: { input: 2, output: 4 } });
    expect(settlementCost(record('success', { usage, costUsd: null }), estimate, priced).costNano).toBe(2e9);
    expect(
      settlementCost(
        record('success', { usage, costUsd: null }),
        estimate,
        governanceSchema.parse({ unpricedModels: 'free' }),
      ).costNano,
    ).toBe(0);
  });

  it('charges nothing for operations providers do not bill, though they report no usage', () => {
    for (const operation of ['count-tokens', 'models'] as const) {
      for (const outcome of ['success', 'aborted'] as const) {
        const free = record(outcome, { operation, costUsd: null });
        expect(settlementCost(free, estimate, settings), `${operation} ${outcome}`).toEqual({
          costNano: 0,
          tokens: 0,
        });
      }
    }
  });
});
