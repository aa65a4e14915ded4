import { describe, expect, it } from 'vitest';
import { NodeMetricsRecorder, RateMeter } from './node-metrics.js';
import { SAMPLE_EVERY_RECORDS } from './latency.js';

/** A clock the test moves by hand, counting its reads. */
function manualClock(start = 1000) {
  const c = { now: start, reads: 0, read: () => { c.reads++; return c.now; } };
  return c;
}

describe('NodeMetricsRecorder', () => {
  it('counts records exactly, and reads the clock only for the batches it times', () => {
    const clock = manualClock();
    const m = new NodeMetricsRecorder(true, clock.read);
    const batches = 50 * SAMPLE_EVERY_RECORDS;
    for (let i = 0; i < batches; i++) {
      m.onInput(1, clock.now - 3); // every record left its source 3 ms ago
      m.onOutput(1, clock.now - 3);
    }
    expect(m.recordsIn).toBe(batches);
    expect(m.recordsOut).toBe(batches);
    expect(clock.reads).toBeLessThanOrEqual(batches / SAMPLE_EVERY_RECORDS + 1);
    const s = m.snapshot(clock.now, 0, { keys: 0, bytes: 0 }, false);
    expect(s.latencyMs.p50).toBeCloseTo(3, 1);
    expect(s.latencyMs.p99).toBeCloseTo(3, 1);
    expect(s.latencyMs.count).toBeGreaterThan(batches - SAMPLE_EVERY_RECORDS);
    expect(s.latencyMs.count).toBeLessThanOrEqual(batches);
  });

  it('times a slow stream\'s every batch, so its percentiles are those of its records', () => {
    const clock = manualClock();
    const m = new NodeMetricsRecorder(true, clock.read);
    // A record every 10 ms; the first 90 reach the node 1 ms after they left the source, the last 10 after 100 ms.
    for (let i = 0; i < 100; i++) {
      const arrivedAt = 1000 + 10 * i;
      clock.now = arrivedAt + (i < 90 ? 1 : 100);
      m.onInput(1, arrivedAt);
    }
    const l = m.snapshot(clock.now, 0, { keys: 0, bytes: 0 }, false).latencyMs;
    expect(l.count).toBe(100);
    expect(l.p50).toBeCloseTo(1, 1);
    expect(l.p95).toBeCloseTo(100, -1);
    expect(clock.reads).toBe(100);
  });

  it('measures rates per second from the batches\' arrival times', () => {
    const clock = manualClock(0);
    const m = new NodeMetricsRecorder(true, clock.read);
    // 2 s of 10 batches of 50 records each second, arriving 100 ms apart.
    for (let t = 0; t < 2000; t += 100) {
      clock.now = t;
      m.onInput(50, t);
      m.onOutput(20, t);
    }
    const s = m.snapshot(2000, 0, { keys: 0, bytes: 0 }, false);
    expect(s.ratePerSecIn).toBe(500);
    expect(s.ratePerSec).toBe(200);
    expect(m.snapshot(2000, 0, { keys: 0, bytes: 0 }, true).ratePerSec).toBe(500);
  });

  it('keeps rates per second when it times only some batches (single records, five a millisecond)', () => {
    const clock = manualClock(0);
    const m = new NodeMetricsRecorder(true, clock.read);
    for (let i = 0; i < 10_000; i++) {
      clock.now = i / 5;
      m.onInput(1, clock.now);
      m.onOutput(1, clock.now);
    }
    // One per millisecond of source time (the 64-record rule never comes first at five a millisecond).
    expect(clock.reads).toBeLessThanOrEqual(2000 + 1);
    const s = m.snapshot(2000, 0, { keys: 0, bytes: 0 }, false);
    // Counts reach the meters at most 64 records late.
    expect(Math.abs(s.ratePerSecIn - 5000)).toBeLessThanOrEqual(SAMPLE_EVERY_RECORDS);
    expect(Math.abs(s.ratePerSec - 5000)).toBeLessThanOrEqual(SAMPLE_EVERY_RECORDS);
  });

  it('turned off, counts records and never reads the clock', () => {
    const clock = manualClock();
    const m = new NodeMetricsRecorder(false, clock.read);
    for (let i = 0; i < 1000; i++) { m.onInput(3, i); m.onOutput(2, i); }
    expect([m.recordsIn, m.recordsOut, clock.reads]).toEqual([3000, 2000, 0]);
    expect(m.snapshot(5000, 0, { keys: 0, bytes: 0 }, false).latencyMs.count).toBe(0);
  });

  it('reports the share of the last second spent blocked, a wait still under way included', () => {
    const m = new NodeMetricsRecorder(true, () => 0);
    m.blockedFrom(1000);
    m.unblocked(1300);
    m.blockedFrom(1800);
    expect(m.backpressure(2000)).toBeCloseTo(0.5, 1);
  });
});

describe('RateMeter', () => {
  it('blends the last full second with the current one, and forgets a silent second', () => {
    const r = new RateMeter();
    r.add(100, 0);
    r.add(100, 1000);
    expect(r.perSecond(1500)).toBe(150);
    expect(r.perSecond(3500)).toBe(0);
  });

  it('keeps a count stamped a little before the current bucket', () => {
    const r = new RateMeter();
    r.perSecond(1200);
    r.add(10, 1100);
    expect(r.perSecond(1300)).toBeGreaterThanOrEqual(10);
  });
});
