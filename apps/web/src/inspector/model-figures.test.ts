import { describe, expect, it } from 'vitest';
import type { ModelMetrics } from '@eddy/shared';
import { modelFigures } from './model-figures';

const metrics = (over: Partial<ModelMetrics> = {}): ModelMetrics => ({
  compared: 1200, agreement: 0.9375, meanAbsDiff: 0.0412, p50AbsDiff: 0.03, p95AbsDiff: 0.11, labelled: 300,
  champion: { auc: 0.8123, logLoss: 0.41 }, challenger: { auc: 0.84, logLoss: null }, ...over,
});

describe('model figures', () => {
  it('formats agreement, differences and both models\' quality', () => {
    const f = modelFigures(metrics())!;
    expect([f.compared, f.agreement, f.diff, f.labelled, f.champion, f.challenger]).toEqual([
      '1,200', '93.8 %', 'mean 0.041 · p50 0.030 · p95 0.110', '300', 'AUC 0.812 · log-loss 0.410', 'AUC 0.840 · log-loss —',
    ]);
    expect(modelFigures(undefined)).toBeNull();
    expect(modelFigures(metrics({ challenger: null }))!.challenger).toBeNull();
  });

  it('lists PSI per feature, marking those over the node\'s threshold, and says when the node drifts', () => {
    const f = modelFigures(metrics({ drift: { price: 0.31, cart: 0.05, score: 0.12 }, drifting: true }), 0.1)!;
    expect(f.drift).toEqual([
      { feature: 'cart', psi: '0.050', over: false }, { feature: 'price', psi: '0.310', over: true }, { feature: 'score', psi: '0.120', over: true },
    ]);
    expect(f.drifting).toBe(true);
    expect(modelFigures(metrics())!.drift).toEqual([]);
  });
});
