import { describe, expect, it } from 'vitest';
import { Redactor } from '../../../src/observability/logs/redactor.js';
import { formatTraceParent, parseTraceParent } from '../../../src/observability/tracing/traceparent.js';

describe('Redactor', () => {
  const redactor = new Redactor({
    builtin: true,
    patterns: ['\\b\\d{3}-\\d{2}-\\d{4}\\b'],
    fields: ['Customer_Secret'],
  });

  it('hides built-in secret shapes in text', () => {
    const cases: Array<[string, string]> = [
      ['key sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA end', 'key [redacted] end'],
      ['AKIAIOSFODNN7EXAMPLE', '[redacted]'],
      ['AIzaSyA-1234567890abcdefghijklmnopqrstu', '[redacted]'],
      ['ghp_0123456789abcdefghijklmnopqrstuvwxyzAB', '[redacted]'],
      ['Authorization: Bearer abcdefgh12345678', 'Authorization: Bearer [redacted]'],
      [
        'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
        'jwt [redacted]',
      ],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----', '[redacted]'],
      ['ssn 123-45-6789', 'ssn [redacted]'],
      ['nothing secret here, max_tokens=5', 'nothing secret here, max_tokens=5'],
    ];
    for (const [input, output] of cases) expect(redactor.text(input)).toBe(output);
  });

  it('hides secret fields at any depth and leaves the input untouched', () => {
    const input = {
      password: 'hunter2',
      nested: [{ customer_secret: 'x', api_key: null, note: 'sk-abcdefghijklmnopqrstuvwx' }],
      max_tokens: 5,
    };
    expect(redactor.value(input)).toEqual({
      password: '[redacted]',
      nested: [{ customer_secret: '[redacted]', api_key: null, note: '[redacted]' }],
      max_tokens: 5,
    });
    expect(input.password).toBe('hunter2');
  });

  it('can run with only the configured patterns', () => {
    const custom = new Redactor({ builtin: false, patterns: ['secret-\\w+'], fields: [] });
    expect(custom.text('sk-abcdefghijklmnopqrstuvwx secret-one')).toBe(
      'sk-abcdefghijklmnopqrstuvwx [redacted]',
    );
    expect(custom.value({ password: 'p' })).toEqual({ password: 'p' });
  });
});

describe('traceparent', () => {
  it('parses valid headers and refuses invalid ones', () => {
    expect(parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
    });
    expect(parseTraceParent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-future')).toMatchObject({
      flags: 0,
    });
    for (const bad of [
      undefined,
      '',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    ]) {
      expect(parseTraceParent(bad)).toBeUndefined();
    }
  });

  it('formats version 00', () => {
    expect(formatTraceParent({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: 1 })).toBe(
      `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`,
    );
  });
});
