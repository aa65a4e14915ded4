import { describe, expect, it } from 'vitest';
import { WatermarkTracker } from './event-time.js';
import { SplitWatermarks } from './split-watermarks.js';

describe('SplitWatermarks', () => {
  it('without splits it is one bounded-out-of-orderness tracker', () => {
    const one = new WatermarkTracker(10);
    const w = new SplitWatermarks(10, undefined, () => 0);
    for (const ts of [100, 90, 150, 140, 200]) {
      w.select(undefined);
      w.observe(ts);
      one.observe(ts);
      expect(w.current).toBe(one.current);
    }
    expect(w.snapshot()).toBeUndefined();
  });

  it('the minimum over declared splits: a split without records holds the watermark back; it never goes back', () => {
    const w = new SplitWatermarks(0, undefined, () => 0);
    w.declare(['0', '1']);
    w.select('0');
    w.observe(1000);
    expect(w.current).toBe(-Infinity); // partition 1 has nothing yet
    w.select('1');
    w.observe(500);
    expect(w.current).toBe(499);
    w.select('0');
    w.observe(2000);
    expect(w.current).toBe(499);
    w.select('1');
    w.observe(3000);
    expect(w.current).toBe(1999);
    w.declare(['2']); // a new partition: holds back what comes, takes nothing back
    expect(w.current).toBe(1999);
    expect(w.snapshot()).toEqual({ 0: 2000, 1: 3000, 2: -Infinity });
  });

  it('idle splits (no records for idleTimeout) are left out of the minimum', () => {
    let now = 0;
    const w = new SplitWatermarks(0, 100, () => now);
    w.declare(['0', '1']);
    w.select('0');
    w.observe(1000);
    expect(w.current).toBe(-Infinity);
    now = 150; // partition 1 idle since 0
    w.select('0');
    w.observe(1100);
    expect(w.current).toBe(1099);
  });

  it('restores each split from a checkpoint', () => {
    const w = new SplitWatermarks(0, undefined, () => 0);
    w.restore(3000, { 0: 2000, 1: 3000 });
    expect(w.current).toBe(1999);
    expect(w.maxEventTime).toBe(3000);
    w.select('0');
    w.observe(5000);
    expect(w.current).toBe(2999);
    const plain = new SplitWatermarks(0, undefined, () => 0);
    plain.restore(3000);
    expect(plain.current).toBe(2999);
  });
});
