import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HistogramCells, ValueCells } from '../../../src/observability/metrics/metric-cells.js';

const BUCKETS = [0.001, 0.01, 0.1, 1, 10];

/** The same three metrics in a registry of their own. */
function metrics() {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    counter: new Counter({ name: 'requests_total', help: 'h', labelNames: ['provider', 'status'], registers }),
    gauge: new Gauge({ name: 'in_flight', help: 'h', labelNames: ['provider'], registers }),
    histogram: new Histogram({ name: 'duration_seconds', help: 'h', labelNames: ['provider'], buckets: BUCKETS, registers }),
  };
}

describe('metric cells', () => {
  it('give the same scrape as the public prom-client API for the same updates', async () => {
    const viaApi = metrics();
    const viaCells = metrics();
    const counter = new ValueCells(viaCells.counter);
    const gauge = new ValueCells(viaCells.gauge);
    const histogram = new HistogramCells(viaCells.histogram, BUCKETS);
    const providers = ['openai', 'anthropic', 'groq'];
    const values = [0.0005, 0.001, 0.004, 0.01, 0.09, 0.5, 1, 3, 10, 42];
    for (let index = 0; index < 500; index++) {
      const provider = providers[index % 3]!;
      const status = index % 7 === 0 ? '500' : '200';
      const value = values[index % values.length]!;
      viaApi.counter.labels(provider, status).inc(index % 4);
      counter.add([provider, status], index % 4);
      viaApi.gauge.labels(provider).inc();
      gauge.add([provider]);
      if (index % 2 === 0) {
        viaApi.gauge.labels(provider).dec();
        gauge.add([provider], -1);
      }
      viaApi.histogram.labels(provider).observe(value);
      histogram.observe([provider], value);
    }
    const scrape = await viaCells.registry.metrics();
    expect(scrape).toBe(await viaApi.registry.metrics());
    expect(scrape).toContain('requests_total{provider="openai",status="200"}');
    expect(scrape).toContain('duration_seconds_bucket{le="+Inf",provider="groq"} 166');
  });

  it('start over after the metric is reset, instead of updating the dropped series', async () => {
    const { registry, counter } = metrics();
    const cells = new ValueCells(counter);
    cells.add(['openai', '200'], 5);
    counter.reset();
    cells.add(['openai', '200'], 2);
    expect(await registry.metrics()).toContain('requests_total{provider="openai",status="200"} 2');
  });

  it('fall back to the public API when the storage is not laid out as expected', async () => {
    const { registry, counter } = metrics();
    (counter as unknown as { hashMap: unknown }).hashMap = undefined;
    const cells = new ValueCells(counter);
    (counter as unknown as { hashMap: unknown }).hashMap = {};
    cells.add(['openai', '200'], 3);
    cells.add(['openai', '200']);
    expect(await registry.metrics()).toContain('requests_total{provider="openai",status="200"} 4');
  });
});
