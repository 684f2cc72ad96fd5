import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/core/index.js';
import { createRequestDispatch } from '../../../src/router/create-request-dispatch.js';
import { itemsToAvoid } from '../../../src/router/health/eject-share.js';
import { chooseKey } from '../../../src/router/interceptors/key-choice.js';
import { selectKey } from '../../../src/router/select-key.js';
import { fakeContext } from './fake-context.js';
import { fakeProvider, key, registry, seededRandom, target } from './router-fixtures.js';

describe('key selection', () => {
  const keys = [key('a', { weight: 3 }), key('b', { weight: 1 }), key('c', { models: ['gpt-4o*'], denyModels: ['gpt-4o-audio*'] })];

  it('weights the choice among keys allowed for the model', () => {
    const random = seededRandom(1);
    const counts = new Map<string, number>();
    for (let index = 0; index < 8000; index++) {
      const chosen = selectKey(keys, 'llama-3', undefined, random)!;
      counts.set(chosen.name, (counts.get(chosen.name) ?? 0) + 1);
    }
    expect(counts.get('c')).toBeUndefined();
    expect(Math.abs(counts.get('a')! / 8000 - 0.75)).toBeLessThan(0.02);
  });

  it('applies allow and deny lists (deny wins)', () => {
    const random = seededRandom(2);
    const forModel = (model: string) => new Set(Array.from({ length: 200 }, () => selectKey(keys, model, undefined, random)!.name));
    expect(forModel('gpt-4o-mini')).toEqual(new Set(['a', 'b', 'c']));
    expect(forModel('gpt-4o-audio-preview')).toEqual(new Set(['a', 'b']));
  });

  it('skips keys refused during the request, prefers keys not rate limited, honours a pin', () => {
    const provider = fakeProvider('p', { keys: [key('a'), key('b')] });
    const health = registry();
    const job = createRequestDispatch(fakeContext(), [target(provider, 'm')], { keyPinning: true });
    job.refusedKeys.add('p/a');
    expect(chooseKey(target(provider, 'm'), job, health, 0.5, seededRandom(3))!.name).toBe('b');
    job.limitedKeys.add('p/b');
    // Only a rate-limited key is left: it is used again rather than giving up.
    expect(chooseKey(target(provider, 'm'), job, health, 0.5, seededRandom(3))!.name).toBe('b');
    const pinned = createRequestDispatch(fakeContext({ 'x-switchyard-key': 'a' }), [target(provider, 'm')], { keyPinning: true });
    expect(chooseKey(target(provider, 'm'), pinned, health, 0.5, seededRandom(4))!.name).toBe('a');
    expect(() => createRequestDispatch(fakeContext({ 'x-switchyard-key': 'zzz' }), [target(provider, 'm')], { keyPinning: true })).toThrow(GatewayError);
    // With pinning off the header is ignored.
    expect(createRequestDispatch(fakeContext({ 'x-switchyard-key': 'zzz' }), [target(provider, 'm')], { keyPinning: false }).pinnedKey).toBeUndefined();
  });
});

describe('never eject more than the allowed share', () => {
  const items = ['a', 'b', 'c', 'd'];
  const remaining: Record<string, number> = { a: 100, b: 300, c: 200, d: 0 };
  it('routes around every ejected item within the share', () => {
    expect(itemsToAvoid(items, (item) => item === 'a', () => 0, 0.5)).toEqual(['a']);
  });
  it('beyond the share, keeps avoiding the ones ejected longest and uses the others', () => {
    expect(itemsToAvoid(items, (item) => item !== 'd', (item) => remaining[item]!, 0.5)).toEqual(['b', 'c']);
  });
  it('a share of 0.5 over a single item avoids nothing; a share of 1 may avoid everything', () => {
    expect(itemsToAvoid(['a'], () => true, () => 0, 0.5)).toEqual([]);
    expect(itemsToAvoid(['a'], () => true, () => 0, 1)).toEqual(['a']);
  });
});
