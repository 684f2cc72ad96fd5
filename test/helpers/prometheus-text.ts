/**
 * A Prometheus text exposition format (0.0.4) parser for tests: families with their HELP, TYPE
 * and samples (name, labels, value). Follows the format's escaping rules for HELP text and label
 * values; rejects lines it cannot read instead of skipping them.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusFamily {
  name: string;
  help: string;
  type: string;
  samples: PrometheusSample[];
}

/** Sample values are read like Prometheus does (Go's ParseFloat): NaN and Inf in any case. */
function parseValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === '+inf' || lower === 'inf' || lower === '+infinity' || lower === 'infinity')
    return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`not a sample value: "${text}"`);
  return value;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, char: string) => (char === 'n' ? '\n' : '\\'));
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let index = 0;
  while (index < text.length) {
    while (text[index] === ' ' || text[index] === ',') index++;
    if (index >= text.length) break;
    const equals = text.indexOf('=', index);
    if (equals === -1 || text[equals + 1] !== '"') throw new Error(`bad labels in: ${line}`);
    const name = text.slice(index, equals).trim();
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    let value = '';
    let cursor = equals + 2;
    for (;;) {
      const char = text[cursor];
      if (char === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (char === '"') break;
      if (char === '\\') {
        const next = text[cursor + 1];
        value += next === 'n' ? '\n' : next === '"' ? '"' : next === '\\' ? '\\' : `\\${next ?? ''}`;
        cursor += 2;
        continue;
      }
      value += char;
      cursor++;
    }
    labels[name] = value;
    index = cursor + 1;
  }
  return labels;
}

/** The family a sample belongs to: histogram/summary samples carry suffixes. */
function familyName(sample: string, families: Map<string, PrometheusFamily>): string {
  for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      if (families.has(base)) return base;
    }
  }
  return sample;
}

export function parsePrometheusText(text: string): Map<string, PrometheusFamily> {
  const families = new Map<string, PrometheusFamily>();
  const family = (name: string): PrometheusFamily => {
    let found = families.get(name);
    if (found === undefined) {
      found = { name, help: '', type: 'untyped', samples: [] };
      families.set(name, found);
    }
    return found;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const match = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s?(.*)$/.exec(line);
      if (match === null) continue;
      const [, keyword, name, rest] = match;
      if (keyword === 'HELP') family(name!).help = unescapeHelp(rest ?? '');
      else family(name!).type = (rest ?? '').trim();
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/.exec(line);
    if (match === null) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText, value] = match;
    family(familyName(name!, families)).samples.push({
      name: name!,
      labels: labelText === undefined ? {} : parseLabels(labelText, line),
      value: parseValue(value!),
    });
  }
  return families;
}

/** Sum of the samples with this exact name whose labels include `labels`. */
export function sampleSum(
  families: Map<string, PrometheusFamily>,
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name !== name) continue;
      if (Object.entries(labels).every(([key, value]) => sample.labels[key] === value)) sum += sample.value;
    }
  }
  return sum;
}
