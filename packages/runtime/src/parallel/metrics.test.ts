import { describe, expect, it } from 'vitest';
import type { NodeMetrics } from '@eddy/shared';
import { combineSubtaskMetrics } from './metrics.js';

function part(m: Partial<NodeMetrics> & { p99?: number }): NodeMetrics {
  const { p99 = 0, ...rest } = m;
  return {
    recordsIn: 0, recordsOut: 0, ratePerSec: 0, ratePerSecIn: 0,
    latencyMs: { p50: p99 / 2, p95: p99, p99, p999: p99, max: p99, count: 10, totalCount: 100, totalMs: 5 },
    watermark: null, watermarkLagMs: null, lateRecords: 0, errors: 0, stateKeys: 0, stateBytes: 0, backpressure: 0, ...rest,
  };
}

describe('combineSubtaskMetrics', () => {
  const hot = part({ recordsIn: 900, recordsOut: 90, ratePerSec: 300, ratePerSecIn: 3000, watermark: 5000, lateRecords: 2, errors: 1, stateKeys: 1, stateBytes: 400, backpressure: 0.7, p99: 9 });
  const cold = part({ recordsIn: 100, recordsOut: 10, ratePerSec: 30, ratePerSecIn: 300, watermark: 4000, lateRecords: 1, stateKeys: 50, stateBytes: 100, backpressure: 0.1, p99: 2 });

  it('adds counts, rates and state over the subtasks', () => {
    const m = combineSubtaskMetrics([hot, cold], 10_000);
    expect(m).toMatchObject({
      recordsIn: 1000, recordsOut: 100, ratePerSec: 330, ratePerSecIn: 3300, lateRecords: 3, errors: 1, stateKeys: 51, stateBytes: 500,
    });
  });

  it('takes the lowest watermark (what the node as a whole has reached) and its lag', () => {
    const m = combineSubtaskMetrics([hot, cold], 10_000);
    expect(m.watermark).toBe(4000);
    expect(m.watermarkLagMs).toBe(6000);
  });

  it('has no watermark while any subtask has none', () => {
    const m = combineSubtaskMetrics([hot, part({ recordsIn: 1 })], 10_000);
    expect(m.watermark).toBeNull();
    expect(m.watermarkLagMs).toBeNull();
  });

  it('reports the worst backpressure and latency percentiles, and sums latency counts', () => {
    const m = combineSubtaskMetrics([hot, cold], 10_000);
    expect(m.backpressure).toBe(0.7);
    expect(m.latencyMs).toMatchObject({ p99: 9, p95: 9, max: 9, count: 20, totalCount: 200, totalMs: 10 });
  });

  it('keeps each subtask\'s figures in subtask order, a missing one as zeros (a skewed key shows as one hot subtask)', () => {
    const m = combineSubtaskMetrics([hot, undefined, cold], 10_000);
    expect(m.subtasks).toEqual([
      { recordsIn: 900, recordsOut: 90, ratePerSec: 300, backpressure: 0.7, watermark: 5000, stateKeys: 1 },
      { recordsIn: 0, recordsOut: 0, ratePerSec: 0, backpressure: 0, watermark: null, stateKeys: 0 },
      { recordsIn: 100, recordsOut: 10, ratePerSec: 30, backpressure: 0.1, watermark: 4000, stateKeys: 50 },
    ]);
    expect(m.recordsIn).toBe(1000);
  });

  it('gives zeros and no watermark before any subtask reported', () => {
    const m = combineSubtaskMetrics([undefined, undefined], 10_000);
    expect(m).toMatchObject({ recordsIn: 0, recordsOut: 0, watermark: null, backpressure: 0 });
    expect(m.latencyMs.count).toBe(0);
    expect(m.subtasks).toHaveLength(2);
  });
});
