import { describe, expect, it } from 'vitest';
import { createModel } from './models.js';

const predict = (model: ReturnType<typeof createModel>, rows: number[][]) =>
  Array.from(model.predict(Float64Array.from(rows.flat()), rows.length));

describe('models', () => {
  it('logistic regression gives sigmoid(w·x + b)', () => {
    const m = createModel(['a', 'b'], { type: 'logistic', weights: { a: 2, b: -1 }, intercept: 0.5 });
    const [p1, p2, p3] = predict(m, [[0, 0], [1, 3], [NaN, 1]]);
    expect(p1).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 12);
    expect(p2).toBeCloseTo(1 / (1 + Math.exp(0.5)), 12);
    expect(Number.isNaN(p3)).toBe(true);
  });

  it('tree ensembles sum the leaves reached, follow `missing`, and apply the logistic link', () => {
    const trees = [
      { nodes: [{ feature: 'x', threshold: 10, left: 1, right: 2, missing: 'right' as const }, { leaf: -1 }, { leaf: 2 }] },
      { nodes: [{ feature: 'y', threshold: 0.5, left: 1, right: 2, missing: 'left' as const }, { leaf: 0.25 },
        { feature: 'x', threshold: 20, left: 3, right: 4, missing: 'left' as const }, { leaf: 0.5 }, { leaf: 1 }] },
    ];
    const reg = createModel(['x', 'y'], { type: 'tree-ensemble', objective: 'regression', baseScore: 0.1, trees });
    expect(predict(reg, [[5, 0], [15, 1], [25, 1], [NaN, NaN]])).toEqual([0.1 - 1 + 0.25, 0.1 + 2 + 0.5, 0.1 + 2 + 1, 0.1 + 2 + 0.25]);
    const cls = createModel(['x', 'y'], { type: 'tree-ensemble', objective: 'binary:logistic', baseScore: 0, trees });
    expect(predict(cls, [[5, 0]])[0]).toBeCloseTo(1 / (1 + Math.exp(0.75)), 12);
  });

  it('linear regression is w·x + b', () => {
    const m = createModel(['a'], { type: 'linear', weights: { a: 3 }, intercept: -1 });
    expect(predict(m, [[2], [0]])).toEqual([5, -1]);
  });
});
