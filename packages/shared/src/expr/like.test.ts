import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileExpression } from './index.js';
import { likeMatcher } from './like.js';

/** The textbook reference: dynamic programming over code points (slow, obviously right). */
function likeReference(text: string, pattern: string): boolean {
  const s = Array.from(text);
  const p = Array.from(pattern);
  // can[j] = pattern[0..i) matches text[0..j)
  let can = s.map(() => false);
  can = [true, ...can];
  for (const pc of p) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    if (pc === '%') {
      let any = false;
      for (let j = 0; j <= s.length; j++) { any ||= can[j]; next[j] = any; }
    } else {
      for (let j = 1; j <= s.length; j++) next[j] = can[j - 1] && (pc === '_' || s[j - 1] === pc);
    }
    can = next;
  }
  return can[s.length];
}

const like = (text: string, pattern: string) => compileExpression('s LIKE p')({ s: text, p: pattern });

describe('LIKE', () => {
  it.each([
    ['abc', 'abc', true], ['abc', 'ab', false], ['abc', 'a%', true], ['abc', '%c', true], ['abc', '%b%', true],
    ['abc', '_b_', true], ['abc', '__', false], ['abc', '___', true], ['', '%', true], ['', '_', false], ['', '', true],
    ['a', '', false], ['aXbXc', 'a%b%c', true], ['aXbXc', 'a%c%b', false], ['mississippi', '%iss%ipp%', true],
    ['mississippi', 'm%issip_i', true], ['mississippi', '%sip%sip%', false], ['a%b', 'a%b', true],
    ['😀', '_', true], ['😀x', '__', true], ['😀x', '_', false], ['a😀b', 'a_b', true], ['a😀b', '%😀%', true],
    ['ab', 'a%%%b', true], ['abc', 'A%', false], ['a\nb', 'a_b', true], ['a\nb', 'a%', true],
  ])('%j LIKE %j is %s', (text, pattern, want) => {
    expect(like(text, pattern)).toBe(want);
    expect(compileExpression(`s LIKE '${pattern.replace(/'/g, "''")}'`)({ s: text })).toBe(want);
  });

  it('answers the pathological pattern on a long text (no backtracking blow-up)', () => {
    const long = 'a'.repeat(10_000);
    expect(like(long, '%%%%%%%%%%%%%!')).toBe(false);
    expect(like(`${long}!`, '%%%%%%%%%%%%%!')).toBe(true);
    expect(like(long, '%a%a%a%a%a%a%a%a%a%a%b')).toBe(false);
    expect(like(long, '%a%a%a%a%a%a%a%a%a%a%')).toBe(true);
    expect(like(long, `${'_'.repeat(9_999)}%_`)).toBe(true);
  });

  it('NOT LIKE and NULL', () => {
    expect(compileExpression("s NOT LIKE 'a%'")({ s: 'abc' })).toBe(false);
    expect(compileExpression("s NOT LIKE 'a%'")({ s: 'b' })).toBe(true);
    expect(like('abc', null as unknown as string)).toBeNull();
    expect(compileExpression("s LIKE 'a%'")({ s: null })).toBeNull();
  });

  it('agrees with the reference on random texts and patterns', () => {
    const alphabet = fc.constantFrom('a', 'b', '%', '_', '😀', '\n');
    const str = (max: number) => fc.array(alphabet, { maxLength: max }).map((cs) => cs.join(''));
    fc.assert(fc.property(str(12).map((t) => t.replace(/[%_]/g, 'a')), str(8), (text, pattern) => {
      expect(likeMatcher(pattern)(text)).toBe(likeReference(text, pattern));
    }), { seed: 20240301, numRuns: 3000 });
    // Texts that contain % and _ themselves: they match only themselves or a wildcard.
    fc.assert(fc.property(str(10), str(6), (text, pattern) => {
      expect(likeMatcher(pattern)(text)).toBe(likeReference(text, pattern));
    }), { seed: 7, numRuns: 2000 });
  });
});
