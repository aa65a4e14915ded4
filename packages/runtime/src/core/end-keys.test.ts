import { describe, expect, it } from 'vitest';
import { EndKeys } from './end-keys.js';

describe('EndKeys', () => {
  it('keeps a state key per end and key string until its window leaves, one at a time or the whole end', () => {
    const keys = new EndKeys();
    const end = 1_700_000_005_000;
    expect(keys.get(end, 'a')).toBeUndefined();
    const a = EndKeys.make(end, 'a');
    expect(a).toBe('1700000005000|a');
    keys.keep(end, 'a', a);
    keys.keep(end, 'b|c', EndKeys.make(end, 'b|c')); // a key string may hold the separator
    keys.keep(end + 5000, 'a', EndKeys.make(end + 5000, 'a'));
    expect(keys.get(end, 'a')).toBe(a);
    expect(keys.get(end, 'b|c')).toBe('1700000005000|b|c');
    keys.forget(end, '1700000005000|b|c');
    expect(keys.get(end, 'b|c')).toBeUndefined();
    expect(keys.get(end, 'a')).toBe(a);
    keys.forgetEnd(end);
    expect(keys.get(end, 'a')).toBeUndefined();
    expect(keys.get(end + 5000, 'a')).toBe('1700000010000|a');
    keys.forget(end + 5000, '1700000010000|a');
    keys.forget(end + 5000, '1700000010000|a'); // twice, or for an end never kept: nothing happens
    keys.forget(1, '1|x');
    expect(keys.get(end + 5000, 'a')).toBeUndefined();
  });
});
