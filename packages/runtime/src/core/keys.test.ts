import { describe, expect, it } from 'vitest';
import { seeded } from '../test-utils/reference.js';
import { keyString, makeKeyExtractor } from './keys.js';

describe('key extractor', () => {
  it('gives every record the key string of its value, integer keys from the cache included (collisions, negatives, -0)', () => {
    const key = makeKeyExtractor(['k']);
    const rand = seeded(5);
    const values: unknown[] = [0, -0, 1, -1, 4096, 4097, -4096, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 40, 1.5, NaN, Infinity, '1', 'a', null, undefined, true, [1]];
    for (let i = 0; i < 5000; i++) values.push(Math.floor(rand() * 20000) - 10000);
    for (let round = 0; round < 2; round++) {
      for (const v of values) {
        const r = { k: v };
        expect(key.stringOf(r)).toBe(keyString(v ?? null));
        expect(key.stringOf(r)).toBe(key.stringOfValues(key.values(r)));
      }
    }
    expect(key.stringOf({ k: 1 })).not.toBe(key.stringOf({ k: '1' }));
    expect(key.stringOf({ k: 7 })).not.toBe(key.stringOf({ k: 7 + 4096 }));
  });

  it('keys on several fields and on none', () => {
    const two = makeKeyExtractor(['a', 'b.c']);
    expect(two.stringOf({ a: 1, b: { c: 'x' } })).toBe(keyString([1, 'x']));
    expect(two.values({ a: 1 })).toEqual([1, null]);
    const none = makeKeyExtractor([]);
    expect(none.stringOf({ a: 1 })).toBe(none.stringOf({ a: 2 }));
  });
});
