import { describe, expect, it } from 'vitest';
import { LatencyRecorder, LatencySampler, SAMPLE_EVERY_MS, SAMPLE_EVERY_RECORDS } from './latency.js';

/** Feeds batches to a sampler the way a node does; returns the weights of the timed ones. */
function feed(sampler: LatencySampler, batches: { n: number; arrivedAt: number }[]): number[] {
  const weights: number[] = [];
  for (const b of batches) {
    const w = sampler.take(b.n, b.arrivedAt);
    if (w > 0) weights.push(w);
  }
  return weights;
}

describe('LatencySampler', () => {
  it('times every big batch, each with its own records', () => {
    const s = new LatencySampler();
    const sizes = [SAMPLE_EVERY_RECORDS, 500, 4096, SAMPLE_EVERY_RECORDS + 1];
    expect(feed(s, sizes.map((n) => ({ n, arrivedAt: 100 })))).toEqual(sizes);
  });

  it('times one batch of single records per SAMPLE_EVERY_RECORDS within a millisecond, weighted by the records it stands for', () => {
    const s = new LatencySampler();
    const n = 10 * SAMPLE_EVERY_RECORDS;
    // All within the same instant: only the count decides (the first batch is timed at once).
    const weights = feed(s, Array.from({ length: n }, () => ({ n: 1, arrivedAt: 50 })));
    expect(weights[0]).toBe(1);
    expect(weights.slice(1).every((w) => w === SAMPLE_EVERY_RECORDS)).toBe(true);
    expect(weights.length).toBeLessThanOrEqual(n / SAMPLE_EVERY_RECORDS + 1);
    // Every record is counted once, apart from those after the last timed batch.
    const counted = weights.reduce((a, b) => a + b, 0);
    expect(counted).toBeLessThanOrEqual(n);
    expect(n - counted).toBeLessThan(SAMPLE_EVERY_RECORDS);
  });

  it('times every batch of a slow stream (arrivals further apart than SAMPLE_EVERY_MS)', () => {
    const s = new LatencySampler();
    const batches = Array.from({ length: 20 }, (_v, i) => ({ n: 2, arrivedAt: 1000 + i * 2 * SAMPLE_EVERY_MS }));
    expect(feed(s, batches)).toEqual(batches.map(() => 2));
  });

  it('times by source time: batches from a source behind the last timed one wait for the count', () => {
    const s = new LatencySampler();
    expect(s.take(1, 100)).toBe(1);
    // Another input, 50 ms behind: its batches are not newer than the last timed one.
    expect(feed(s, Array.from({ length: SAMPLE_EVERY_RECORDS - 1 }, (_v, i) => ({ n: 1, arrivedAt: 50 + i / 100 })))).toEqual([]);
    expect(s.take(1, 51)).toBe(SAMPLE_EVERY_RECORDS);
    expect(s.take(1, 100 + SAMPLE_EVERY_MS)).toBe(1);
  });
});

describe('LatencyRecorder', () => {
  it('weights a sample by its count in the percentiles, the count and the sum', () => {
    const r = new LatencyRecorder();
    r.record(1, 90, 10);
    r.record(50, 10, 10);
    const s = r.summary(20);
    expect(s.count).toBe(100);
    expect(s.totalCount).toBe(100);
    expect(s.totalMs).toBe(90 + 500);
    expect(s.p50).toBeCloseTo(1, 1);
    expect(s.p95).toBeCloseTo(50, 0);
  });

  it('forgets samples older than its window', () => {
    const r = new LatencyRecorder();
    r.record(5, 3, 0);
    expect(r.summary(20_000).count).toBe(0);
    expect(r.summary(20_000).totalCount).toBe(3);
  });
});
