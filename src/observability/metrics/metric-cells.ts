import type { Counter, Gauge, Histogram } from 'prom-client';

/**
 * Per-request updates of labelled prom-client series without prom-client's per-call work.
 *
 * `metric.labels(a, b).inc()` builds a label object, validates it and hashes it into a string on
 * every call (several µs for a request's dozen updates). A cell is the series' own storage
 * entry, found once per label combination through the public API and then updated in place,
 * keyed by the label values. Scrapes, the cluster aggregation and `reset()` keep working: a
 * reset replaces the metric's storage, which the cells notice and start over.
 *
 * This reads prom-client's storage layout (`hashMap` entries: `{ value }` for counters and
 * gauges, `{ bucketValues, sum, count }` for histograms), pinned in package.json. Where the
 * layout is not what is expected, every update goes through the public API instead, and
 * test/unit/observability/metric-cells.test.ts fails.
 */

interface StoredMetric<Entry> {
  hashMap: Record<string, Entry>;
  labelNames: readonly string[];
}

interface ValueEntry {
  labels: Record<string, string | number>;
  value: number;
}

interface BucketEntry {
  labels: Record<string, string | number>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

const SEPARATOR = '\u0001';

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (let index = 0; index < names.length; index++) labels[names[index]!] = values[index]!;
  return labels;
}

function findEntry<Entry extends { labels: Record<string, string | number> }>(
  stored: StoredMetric<Entry>,
  labels: Record<string, string>,
): Entry | undefined {
  for (const key in stored.hashMap) {
    const entry = stored.hashMap[key]!;
    if (stored.labelNames.every((name) => String(entry.labels[name]) === labels[name])) return entry;
  }
  return undefined;
}

/** The storage entries of one metric, by label values. */
class CellMap<Entry extends { labels: Record<string, string | number> }> {
  private readonly cells = new Map<string, Entry>();
  private storage: object | undefined;
  private readonly stored: StoredMetric<Entry>;
  private readonly create: (labels: Record<string, string>) => void;
  private readonly valid: (entry: Entry) => boolean;
  /** False when prom-client's storage is not laid out as expected: use the public API. */
  readonly usable: boolean;

  constructor(metric: object, create: (labels: Record<string, string>) => void, valid: (entry: Entry) => boolean) {
    this.stored = metric as StoredMetric<Entry>;
    this.create = create;
    this.valid = valid;
    this.usable = typeof this.stored.hashMap === 'object' && Array.isArray(this.stored.labelNames);
  }

  entry(values: readonly string[]): Entry | undefined {
    if (!this.usable) return undefined;
    if (this.stored.hashMap !== this.storage) {
      this.cells.clear();
      this.storage = this.stored.hashMap;
    }
    const key = values.length === 1 ? values[0]! : values.join(SEPARATOR);
    let entry = this.cells.get(key);
    if (entry === undefined) {
      const labels = labelsOf(this.stored.labelNames, values);
      this.create(labels);
      entry = findEntry(this.stored, labels);
      if (entry === undefined || !this.valid(entry)) return undefined;
      this.cells.set(key, entry);
    }
    return entry;
  }
}

/** A labelled counter or gauge: add to one series by its label values. */
export class ValueCells<Label extends string> {
  private readonly map: CellMap<ValueEntry>;
  private readonly metric: Counter<Label> | Gauge<Label>;

  constructor(metric: Counter<Label> | Gauge<Label>) {
    this.metric = metric;
    this.map = new CellMap<ValueEntry>(
      metric,
      (labels) => metric.inc(labels as Partial<Record<Label, string>>, 0),
      (entry) => typeof entry.value === 'number',
    );
  }

  /** Add `by` (a counter only ever gets a positive amount; gauges go both ways). */
  add(values: readonly string[], by = 1): void {
    const entry = this.map.entry(values);
    if (entry !== undefined) entry.value += by;
    else if (by >= 0) this.metric.labels(...values).inc(by);
    else (this.metric as Gauge<Label>).labels(...values).dec(-by);
  }
}

/** A labelled histogram: observe into one series by its label values. */
export class HistogramCells<Label extends string> {
  private readonly map: CellMap<BucketEntry>;
  private readonly metric: Histogram<Label>;
  private readonly bounds: readonly number[];

  constructor(metric: Histogram<Label>, buckets: readonly number[]) {
    this.metric = metric;
    this.bounds = [...buckets].sort((a, b) => a - b);
    this.map = new CellMap<BucketEntry>(
      metric,
      (labels) => metric.zero(labels as Partial<Record<Label, string>>),
      (entry) => typeof entry.sum === 'number' && typeof entry.bucketValues === 'object' && this.bounds.every((bound) => bound in entry.bucketValues),
    );
  }

  observe(values: readonly string[], value: number): void {
    const entry = this.map.entry(values);
    if (entry === undefined || !Number.isFinite(value)) {
      this.metric.labels(...values).observe(value);
      return;
    }
    // As prom-client does: the count of the first bucket the value fits, cumulated on export.
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index++) {
      if (value <= bounds[index]!) {
        entry.bucketValues[bounds[index]!]! += 1;
        break;
      }
    }
    entry.sum += value;
    entry.count += 1;
  }
}
