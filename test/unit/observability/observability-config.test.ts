import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';

describe('observability config section', () => {
  it('has documented defaults', () => {
    const { config } = validateConfig({ providers: {} }, {});
    expect(config!.observability).toMatchObject({
      logs: {
        enabled: true,
        store: 'auto',
        sqliteFile: 'logs.db',
        content: {
          mode: 'metadata',
          byVirtualKey: {},
          maxBytes: 65536,
          redact: { builtin: true, patterns: [], fields: [] },
        },
        queue: { maxRecords: 10000, batchSize: 500, flushInterval: 200 },
        spool: {
          dir: 'log-spool',
          segmentBytes: 8 * 1024 * 1024,
          maxBytes: 1024 ** 3,
          whenFull: 'reject',
          fsync: false,
        },
        retention: { maxAge: 30 * 86_400_000, maxBytes: 2 * 1024 ** 3, interval: 300_000 },
        closeTimeout: 10_000,
      },
      metrics: { enabled: true, path: '/metrics', processMetrics: true },
      tracing: {
        enabled: false,
        endpoint: 'http://127.0.0.1:4318/v1/traces',
        sampleRatio: 1,
        propagate: true,
        serviceName: 'switchyard',
      },
    });
    expect(config!.observability.metrics.token).toBeUndefined();
  });

  it('reads durations, sizes and env references, and rejects what it does not know', () => {
    const { config } = validateConfig(
      {
        providers: {},
        observability: {
          logs: {
            retention: { maxAge: '7d', maxBytes: '500mb' },
            content: { mode: 'full', byVirtualKey: { 'team-a': 'off' } },
          },
          metrics: { token: 'env.METRICS_TOKEN' },
          tracing: {
            enabled: true,
            endpoint: 'http://collector:4318/v1/traces',
            headers: { 'x-api-key': 'env.OTLP_KEY' },
          },
        },
      },
      { METRICS_TOKEN: 'scrape-me', OTLP_KEY: 'otlp-secret' },
    );
    expect(config!.observability.logs.retention).toMatchObject({
      maxAge: 7 * 86_400_000,
      maxBytes: 500 * 1024 * 1024,
    });
    expect(config!.observability.metrics.token).toBe('scrape-me');
    expect(config!.observability.tracing.headers).toEqual({ 'x-api-key': 'otlp-secret' });

    const { issues } = validateConfig(
      {
        providers: {},
        observability: {
          logs: {
            content: { mode: 'everything', redact: { patterns: ['(unclosed'] } },
            retention: { maxAge: 'soon' },
          },
          metric: {},
        },
      },
      {},
    );
    const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
    expect(text).toMatch(/observability\.logs\.content\.mode/);
    expect(text).toMatch(
      /observability\.logs\.content\.redact\.patterns\[0\]: not a valid regular expression/,
    );
    expect(text).toMatch(/observability\.logs\.retention\.maxAge: "soon" is not a duration/);
    expect(text).toMatch(/metric/);
  });
});
