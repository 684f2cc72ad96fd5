import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../../src/store/time-ordered-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID version 7 whose first 48 bits are the Unix milliseconds', () => {
    const at = Date.UTC(2026, 10, 22, 6, 30);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by time as a string (what keeps index inserts at the end)', () => {
    const ids = [0, 1, 2, 1000, 86_400_000].map((offset) => timeOrderedId(1_795_000_000_000 + offset));
    expect([...ids].sort()).toEqual(ids);
  });

  it('stays unique within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_795_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
