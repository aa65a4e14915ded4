import { describe, expect, it } from 'vitest';
import { checkExpression, compileExpression, MAX_EXPRESSION_DEPTH } from './index.js';
import { validatePipeline } from '../validate/validate.js';

const message = `The expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels`;
const nest = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);

describe('expression nesting depth', () => {
  it.each([
    ['parentheses', nest('(', '1', ')', 900)],
    ['function calls', nest('ABS(', '1', ')', 900)],
    ['a chain of +', `a${' + a'.repeat(5000)}`],
    ['a chain of OR', `a${' OR a'.repeat(5000)}`],
    ['repeated NOT', `${'NOT '.repeat(5000)}x`],
    ['repeated minus', `${'- '.repeat(5000)}1`],
    ['nested CASE', nest('CASE WHEN x THEN ', '1', ' END', 900)],
    ['parentheses 100 000 deep', nest('(', '1', ')', 100_000)],
  ])('%s: refused with the limit, no stack overflow', (_what, src) => {
    const r = checkExpression(src);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toContain(message);
  });

  it('accepts and evaluates expressions within the limit', () => {
    expect(compileExpression(nest('(', '1', ')', 200))({})).toBe(1);
    expect(compileExpression(`1${' + 1'.repeat(200)}`)({})).toBe(201);
    expect(compileExpression(nest('ABS(', 'x', ')', 100))({ x: -2 })).toBe(2);
    expect(checkExpression(`x IN (${Array.from({ length: 5000 }, (_v, i) => i).join(', ')})`).ok).toBe(true);
  });

  it('is a validation error naming the node and the JSON path', () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'deep',
      nodes: [
        { id: 'src', kind: 'source.generator', params: { scenario: 'clickstream' } },
        { id: 'deep_filter', kind: 'filter', params: { where: nest('(', 'true', ')', 900) } },
        { id: 'out', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'src', to: 'deep_filter' }, { from: 'deep_filter', to: 'out' }],
    };
    const r = validatePipeline(doc);
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([expect.objectContaining({
      code: 'expression_syntax', nodeId: 'deep_filter', path: 'nodes[1].params.where', message: expect.stringContaining(message),
    })]);
  });
});
