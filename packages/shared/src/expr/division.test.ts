import { describe, expect, it } from 'vitest';
import { compileExpression, expressionToSql, parseExpression } from './index.js';

const run = (src: string, r: Record<string, unknown> = {}) => compileExpression(src)(r);
const sql = (src: string) => {
  const parsed = parseExpression(src);
  if (!parsed.ok) throw new Error(parsed.errors[0].message);
  return expressionToSql(parsed.ast);
};

describe('division and remainder by zero are NULL', () => {
  it.each([
    ['7 / 0', null], ['0 / 0', null], ['-7 / 0', null], ['7 % 0', null], ['0 % 0', null], ['7 / 2', 3.5], ['7 % 4', 3],
    ['-7 % 4', -3], ['7 % -4', 3], ['7 / NULL', null], ['NULL / 0', null], ['COALESCE(1 / 0, -1)', -1], ['1 / 0 IS NULL', true],
  ])('%s → %j', (src, want) => {
    expect(run(src)).toBe(want);
  });

  it('through fields too (no constant folding)', () => {
    expect(run('a / b', { a: 5, b: 0 })).toBeNull();
    expect(run('a % b', { a: 5, b: 0 })).toBeNull();
    expect(run('a / b', { a: 5, b: 2 })).toBe(2.5);
  });

  it('translates to Flink SQL that divides by NULL instead of zero', () => {
    expect(sql('a / b')).toBe('(`a` / NULLIF(`b`, 0E0))');
    // Flink's MOD is for integers: the double remainder, with the dividend's sign, as a - b * TRUNCATE(a / b).
    expect(sql('a % b')).toBe('(`a` - (`b` * TRUNCATE((`a` / NULLIF(`b`, 0E0)))))');
    expect(sql('a / 0')).toBe('(`a` / NULLIF(0E0, 0E0))');
    expect(sql('(a + 1) / (b - 2) * 3')).toBe('(((`a` + 1E0) / NULLIF((`b` - 2E0), 0E0)) * 3E0)');
    expect(sql('a * b')).toBe('(`a` * `b`)');
    // A divisor that is a non-zero number literal needs no guard.
    expect(sql('a / 4')).toBe('(`a` / 4E0)');
    expect(sql('a % 0.5')).toBe('(`a` - (0.5E0 * TRUNCATE((`a` / 0.5E0))))');
  });
});
