import { describe, expect, it } from 'vitest';
import { runOutageScenario } from '../../helpers/outage-scenario.js';

/*
 * The short version of bench/routing-outage.ts (figures in docs/routing.md): two providers
 * behind one alias on loopback, one failing 100% for a while and then healing, under closed-loop
 * load. Only counts are asserted, never timings.
 */
describe('load: one of two providers fails, then heals', () => {
  for (const stream of [false, true]) {
    it(`${stream ? 'streams' : 'complete answers'}: zero client errors, the retry budget holds, ejection and readmission`, async () => {
      const consecutiveFailures = 5;
      const concurrency = 8;
      const figures = await runOutageScenario({
        concurrency,
        healthyRequests: 100,
        outageRequests: 400,
        recoveredRequests: 20,
        recoveryCap: 4000,
        retryBudgetRatio: 0.2,
        upstreamDelayMs: 2,
        consecutiveFailures,
        ejectForMs: 100,
        maxEjectForMs: 400,
        stream,
      });
      expect(figures.clientErrors).toBe(0);
      expect(figures.upstreamAttempts).toBeLessThanOrEqual(figures.attemptCeiling);
      // Ejected within a bounded number of failures: the threshold, plus what was already in
      // flight when it tripped.
      expect(figures.failuresBeforeEjection).toBeGreaterThanOrEqual(consecutiveFailures);
      expect(figures.failuresBeforeEjection).toBeLessThanOrEqual(consecutiveFailures + concurrency);
      // After that, "a" only sees half-open probes: one per ejection (plus the in-flight slack).
      expect(figures.failuresAtA).toBeLessThanOrEqual(figures.failuresBeforeEjection + figures.ejections + concurrency);
      // Readmitted after it heals, and serving again.
      expect(figures.requestsUntilReadmitted).toBeDefined();
      expect(figures.servedByAAfterReadmission).toBeGreaterThanOrEqual(20);
    });
  }
});
