import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleSum } from '../../helpers/prometheus-text.js';

// The example from the Prometheus exposition format documentation, plus escaping cases.
const EXAMPLE = `# HELP http_requests_total The total number of HTTP requests.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3 1395066363000

# A normal comment.
msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9

# HELP metric_without_timestamp_and_labels A line with \\\\ and \\n escapes.
metric_without_timestamp_and_labels 12.47

# HELP http_request_duration_seconds A histogram of the request duration.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.05"} 24054
http_request_duration_seconds_bucket{le="+Inf"} 144320
http_request_duration_seconds_sum 53423
http_request_duration_seconds_count 144320
`;

describe('Prometheus text parser (test helper)', () => {
  it('reads the documented example', () => {
    const families = parsePrometheusText(EXAMPLE);
    const requests = families.get('http_requests_total')!;
    expect(requests.type).toBe('counter');
    expect(requests.help).toBe('The total number of HTTP requests.');
    expect(requests.samples).toEqual([
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3 },
    ]);
    expect(families.get('msdos_file_access_time_seconds')!.samples[0]!.labels).toEqual({
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
    expect(families.get('metric_without_timestamp_and_labels')!.help).toBe('A line with \\ and \n escapes.');
    const histogram = families.get('http_request_duration_seconds')!;
    expect(histogram.type).toBe('histogram');
    expect(histogram.samples.map((sample) => sample.name)).toEqual([
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_sum',
      'http_request_duration_seconds_count',
    ]);
    expect(histogram.samples[1]!.labels.le).toBe('+Inf');
    expect(sampleSum(families, 'http_requests_total', { method: 'post' })).toBe(1030);
    expect(sampleSum(families, 'http_requests_total', { code: '400' })).toBe(3);
  });

  it('reads NaN and infinities in any case, as Prometheus does', () => {
    const families = parsePrometheusText('a NaN\nb Nan\nc +Inf\nd -inf\n');
    expect(Number.isNaN(families.get('a')!.samples[0]!.value)).toBe(true);
    expect(Number.isNaN(families.get('b')!.samples[0]!.value)).toBe(true);
    expect(families.get('c')!.samples[0]!.value).toBe(Number.POSITIVE_INFINITY);
    expect(families.get('d')!.samples[0]!.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects lines it cannot read', () => {
    expect(() => parsePrometheusText('metric{a="1" 2')).toThrow(/not a sample line/);
    expect(() => parsePrometheusText('metric abc')).toThrow(/not a sample value/);
  });
});
