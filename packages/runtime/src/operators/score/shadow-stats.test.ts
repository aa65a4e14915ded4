import { describe, expect, it } from 'vitest';
import { pairsAuc } from '../../test-utils/pairs-auc.js';
import { percentile, QualityStats, RECENT, rocAuc, ShadowStats } from './shadow-stats.js';


describe('shadow and quality figures', () => {
  it('rank AUC equals the pairs definition, ties included, and is null with one class', () => {
    const scores = [0.1, 0.4, 0.4, 0.35, 0.8, 0.8, 0.2, 0.9, 0.4, 0.05];
    const labels = [0, 1, 0, 1, 1, 0, 0, 1, 1, 0];
    expect(rocAuc(scores, labels)).toBeCloseTo(pairsAuc(scores, labels), 12);
    expect(rocAuc([0.1, 0.9], [1, 1])).toBeNull();
  });

  it('log-loss clips probabilities so a confident miss is large but finite', () => {
    const q = new QualityStats();
    q.add(1, 0);
    q.add(0.5, 1);
    // 1 is clipped to 1 − 1e-15 (as a double), so the miss costs −ln(1 − (1 − 1e-15)).
    expect(q.figures().logLoss).toBeCloseTo((-Math.log(1 - (1 - 1e-15)) - Math.log(0.5)) / 2, 12);
  });

  it('percentiles by nearest rank; the shadow figures cover the last RECENT records only', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    const s = new ShadowStats((c, h) => c === h);
    for (let i = 0; i < RECENT; i++) s.add(0, 1);
    for (let i = 0; i < RECENT; i++) s.add(2, 2);
    s.add(NaN, 1); // NULL on either side is not compared
    expect(s.compared).toBe(2 * RECENT);
    expect(s.figures()).toEqual({ agreement: 1, meanAbsDiff: 0, p50AbsDiff: 0, p95AbsDiff: 0 });
  });
});
