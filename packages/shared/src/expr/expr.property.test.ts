import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileExpression } from './index.js';

/** Random arithmetic and comparison trees: the compiled closure equals a tiny reference evaluator. */
type Tree = { op: 'num'; v: number } | { op: 'field'; name: 'a' | 'b' } | { op: '+' | '-' | '*' | '/'; l: Tree; r: Tree };

const tree: fc.Arbitrary<Tree> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constant('num' as const), v: fc.integer({ min: -50, max: 50 }) }),
    fc.record({ op: fc.constant('field' as const), name: fc.constantFrom('a' as const, 'b' as const) }),
    fc.record({ op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), l: tie('node'), r: tie('node') })),
})).node as fc.Arbitrary<Tree>;

const text = (t: Tree): string => (t.op === 'num' ? (t.v < 0 ? `(${t.v})` : String(t.v)) : t.op === 'field' ? t.name : `(${text(t.l)} ${t.op} ${text(t.r)})`);

function reference(t: Tree, env: { a: number | null; b: number | null }): number | null {
  if (t.op === 'num') return t.v;
  if (t.op === 'field') return env[t.name];
  const l = reference(t.l, env);
  const r = reference(t.r, env);
  if (l === null || r === null) return null;
  switch (t.op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return r === 0 ? null : l / r;
  }
}

describe('compiled arithmetic equals the reference', () => {
  it('for random trees and records', () => {
    const value = fc.option(fc.integer({ min: -100, max: 100 }), { nil: null });
    fc.assert(fc.property(tree, tree, value, value, fc.constantFrom('<', '=', '>='), (left, right, a, b, cmp) => {
      const env = { a, b };
      expect(compileExpression(text(left))(env)).toBe(reference(left, env));
      const l = reference(left, env);
      const r = reference(right, env);
      const expected = l === null || r === null ? null : cmp === '<' ? l < r : cmp === '=' ? l === r : l >= r;
      expect(compileExpression(`${text(left)} ${cmp} ${text(right)}`)(env)).toBe(expected);
    }), { numRuns: 300 });
  });
});
