import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../validate/validate.js';
import { restartPolicy, restartSchema } from './restart.js';

const withRestart = (restart: unknown) => ({
  format: 'eddy/pipeline@1', name: 'r', settings: { restart },
  nodes: [{ id: 'g', kind: 'source.generator', params: { scenario: 'iot' } }, { id: 'live', kind: 'sink.live', params: {} }],
  edges: [{ from: 'g', to: 'live' }],
});

describe('settings.restart', () => {
  it('defaults to exponential backoff as Flink (1s, ×1.5, up to 1m, no attempt limit)', () => {
    const strategy = restartSchema.parse(undefined);
    expect(strategy).toEqual({ strategy: 'exponential-backoff', initialDelay: '1s', maxDelay: '1m', multiplier: 1.5, resetAfter: '1h' });
    const policy = restartPolicy(strategy);
    expect([1, 2, 3, 4].map((a) => policy.delayMs(a))).toEqual([1000, 1500, 2250, 3375]);
    expect(policy.delayMs(50)).toBe(60_000);
    expect(policy.maxAttempts).toBe(Infinity);
  });

  it('takes fixed-delay, exponential-backoff and none, filling defaults', () => {
    expect(restartPolicy(restartSchema.parse({ strategy: 'fixed-delay', attempts: 3, delay: '1s' }))).toMatchObject({ maxAttempts: 3 });
    expect(restartPolicy(restartSchema.parse({ strategy: 'fixed-delay', attempts: 3, delay: '1s' })).delayMs(3)).toBe(1000);
    const exp = restartPolicy(restartSchema.parse({ strategy: 'exponential-backoff', initialDelay: '500ms', maxDelay: '1m', multiplier: 2, attempts: 5 }));
    expect([1, 2, 3].map((a) => exp.delayMs(a))).toEqual([500, 1000, 2000]);
    expect(exp.maxAttempts).toBe(5);
    expect(restartPolicy(restartSchema.parse({ strategy: 'none' })).maxAttempts).toBe(0);
    expect(validatePipeline(withRestart({ strategy: 'fixed-delay' })).document?.settings.restart).toEqual({ strategy: 'fixed-delay', attempts: 3, delay: '10s' });
  });

  it('refuses unknown strategies, unknown fields, absurd delays and a max below the initial delay, at settings.restart', () => {
    for (const bad of [{ strategy: 'sometimes' }, { strategy: 'none', attempts: 3 }, { strategy: 'fixed-delay', delay: '400d' },
      { strategy: 'fixed-delay', attempts: 0 }, { strategy: 'exponential-backoff', initialDelay: '10s', maxDelay: '1s' },
      { strategy: 'exponential-backoff', multiplier: 0.5 }, 'fixed-delay']) {
      const result = validatePipeline(withRestart(bad));
      expect(result.ok, JSON.stringify(bad)).toBe(false);
      expect(result.errors[0].path).toMatch(/^settings\.restart/);
    }
  });
});
