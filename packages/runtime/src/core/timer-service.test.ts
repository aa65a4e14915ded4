import { describe, expect, it } from 'vitest';
import { TimerServiceImpl, type FiredTimer } from './timer-service.js';

describe('timer service', () => {
  it('fires event timers in time order (ties in registration order), once each, with the watermark before the advance', () => {
    const fired: FiredTimer[] = [];
    const t = new TimerServiceImpl((x) => fired.push(x));
    t.registerEventTimer(30, 'b');
    t.registerEventTimer(10, 'a');
    t.registerEventTimer(10, 'a'); // the same timer: kept once
    t.registerEventTimer(10, 'c', 'ns');
    t.registerEventTimer(50, 'd');
    t.deleteEventTimer(30, 'b');
    t.advance(5);
    expect(fired).toEqual([]);
    t.advance(40);
    expect(fired.map((f) => [f.time, f.key, f.namespace, f.outputWatermark])).toEqual([[10, 'a', '', 5], [10, 'c', 'ns', 5]]);
    expect(t.atRecord(20)).toBe(40); // time never goes back
    t.atRecord(50);
    expect(fired.map((f) => f.key)).toEqual(['a', 'c', 'd']);
    expect(fired[2].outputWatermark).toBe(40);
  });

  it('fires a timer registered while firing in the same advance when it is due', () => {
    const seen: number[] = [];
    const t: TimerServiceImpl = new TimerServiceImpl((x) => {
      seen.push(x.time);
      if (x.time === 10) t.registerEventTimer(15, 'k');
    });
    t.registerEventTimer(10, 'k');
    t.advance(20);
    expect(seen).toEqual([10, 15]);
  });

  it('keeps its timers in a snapshot and restores them', () => {
    const t = new TimerServiceImpl(() => undefined);
    t.registerEventTimer(100, 'x', 'w');
    t.registerProcessingTimer(Date.now() + 60_000, 'y');
    const snap = t.snapshot();
    const fired: string[] = [];
    const r = new TimerServiceImpl((x) => fired.push(`${x.domain}:${x.key}`));
    r.restore(snap, 50);
    expect(r.currentWatermark()).toBe(50);
    r.advance(100);
    expect(fired).toEqual(['event:x']);
    expect(r.pending).toBe(1);
  });

  it('fires processing-time timers when the wall clock reaches them', () => {
    let now = 1000;
    let armed: number | null = null;
    const fired: string[] = [];
    const t = new TimerServiceImpl((x) => fired.push(x.key), (at) => { armed = at; }, () => now);
    t.registerProcessingTimer(1500, 'late');
    t.registerProcessingTimer(1200, 'soon');
    expect(armed).toBe(1200);
    now = 1300;
    t.onAlarm();
    expect(fired).toEqual(['soon']);
    expect(armed).toBe(1500);
    now = 1500;
    t.onAlarm();
    expect(fired).toEqual(['soon', 'late']);
    expect(armed).toBe(null);
  });
});
