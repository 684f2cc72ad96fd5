import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../../src/observability/metrics/gateway-metrics.js';
import type { RouterStateSnapshot } from '../../../src/observability/metrics/router-state.js';
import { createRequestRecord } from '../../../src/pipeline/request-record.js';
import type { Router } from '../../../src/router/router.js';
import { parsePrometheusText, sampleSum } from '../../helpers/prometheus-text.js';

function metricsWith(state: RouterStateSnapshot | undefined): GatewayMetrics {
  const router = {
    plan: () => [],
    dispatch: () => Promise.reject(new Error('unused')),
    state: () => state,
  } as unknown as Router;
  return new GatewayMetrics({
    version: '9.9.9',
    router,
    inflight: () => 3,
    processMetrics: false,
    logs: () => ({
      depth: 7,
      lagMs: 2500,
      spoolBytes: 4096,
      stats: { written: 11, failedBatches: 2, dropped: 0, spoolErrors: 0 },
    }),
  });
}

describe('gateway metrics', () => {
  it('reads circuit state and queue depth from the router, and the log pipeline gauges', async () => {
    const metrics = metricsWith({
      circuits: [
        { provider: 'openai', state: 'closed' },
        { provider: 'anthropic', target: 'claude-sonnet-4-5', state: 'open' },
        { provider: 'groq', state: 'half-open' },
      ],
      queues: [{ provider: 'openai', depth: 4 }],
    });
    const families = parsePrometheusText(await metrics.metrics());
    expect(
      sampleSum(families, 'switchyard_circuit_state', { provider: 'anthropic', target: 'claude-sonnet-4-5' }),
    ).toBe(2);
    expect(sampleSum(families, 'switchyard_circuit_state', { provider: 'groq' })).toBe(1);
    expect(sampleSum(families, 'switchyard_circuit_state', { provider: 'openai' })).toBe(0);
    expect(sampleSum(families, 'switchyard_router_queue_depth', { provider: 'openai' })).toBe(4);
    expect(sampleSum(families, 'switchyard_requests_in_flight')).toBe(3);
    expect(sampleSum(families, 'switchyard_log_queue_depth')).toBe(7);
    expect(sampleSum(families, 'switchyard_log_pipeline_lag_seconds')).toBe(2.5);
    expect(sampleSum(families, 'switchyard_log_spool_bytes')).toBe(4096);
    expect(sampleSum(families, 'switchyard_log_records_written_total')).toBe(11);
    expect(sampleSum(families, 'switchyard_build_info', { version: '9.9.9' })).toBe(1);
  });

  it('counts retries and fallbacks from the attempt reasons', async () => {
    const metrics = metricsWith(undefined);
    const record = createRequestRecord('r1', 'openai', 'chat', '/v1/chat/completions');
    record.status = 200;
    record.provider = 'openai';
    record.model = 'gpt-4o-mini';
    record.timing = { upstreamMs: 30, totalMs: 31, overheadMs: 1 };
    record.attempts = [
      {
        provider: 'openai',
        model: 'gpt-4o',
        status: 429,
        latencyMs: 10,
        outcome: 'error',
        passthrough: false,
      },
      {
        provider: 'openai',
        model: 'gpt-4o',
        status: 429,
        latencyMs: 10,
        outcome: 'error',
        reason: 'retry after 429',
        passthrough: false,
      },
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        status: 200,
        latencyMs: 10,
        outcome: 'success',
        reason: 'fallback',
        passthrough: false,
      },
    ];
    metrics.recordRequest(record);
    const families = parsePrometheusText(await metrics.metrics());
    expect(sampleSum(families, 'switchyard_retries_total', { model: 'gpt-4o' })).toBe(1);
    expect(sampleSum(families, 'switchyard_fallbacks_total', { model: 'gpt-4o-mini' })).toBe(1);
    expect(sampleSum(families, 'switchyard_upstream_attempts_total', { status: '429' })).toBe(2);
    expect(sampleSum(families, 'switchyard_circuit_state')).toBe(0);
  });

  it('has every metric it exports documented in docs/metrics.md', async () => {
    const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
    const names = (await metricsWith(undefined).registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });

  it('only uses metrics that exist in the Grafana dashboard', async () => {
    const dashboard = readFileSync(new URL('../../../docs/grafana/switchyard.json', import.meta.url), 'utf8');
    const used = new Set(
      [...dashboard.matchAll(/switchyard_[a-z_]+/g)].map((match) =>
        match[0].replace(/_(bucket|sum|count)$/, ''),
      ),
    );
    const names = new Set(
      (await metricsWith(undefined).registry.getMetricsAsJSON()).map((metric) => metric.name),
    );
    expect(
      [...used].filter(
        (name) =>
          !names.has(name) && !name.startsWith('switchyard_process') && !name.startsWith('switchyard_nodejs'),
      ),
    ).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});
