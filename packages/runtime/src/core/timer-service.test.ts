import { describe, expect, it } from 'vitest';
import { seeded } from '../test-utils/reference.js';
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

  it('fires exactly as a list ordered by (time, registration sequence), under random registers, deletes, firing-time registrations and restores', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = seeded(seed);
      const pick = (n: number) => Math.floor(rand() * n);
      // The reference: live timers with their registration sequence, fired by the smallest (time, seq).
      let ref: { time: number; key: string; ns: string; seq: number }[] = [];
      let seq = 0;
      let refWm = -Infinity;
      const refFired: string[] = [];
      const refRegister = (time: number, key: string, ns: string) => {
        if (!ref.some((t) => t.time === time && t.key === key && t.ns === ns)) ref.push({ time, key, ns, seq: seq++ });
      };
      const refDelete = (time: number, key: string, ns: string) => { ref = ref.filter((t) => !(t.time === time && t.key === key && t.ns === ns)); };
      // What a firing timer does, decided by its identity and a counter (the same in both): register or delete others.
      const reaction = (time: number, key: string, n: number, register: typeof refRegister, del: typeof refDelete) => {
        if (n % 3 === 0) register(time - (n % 5), `k${(n * 7) % 30}`, n % 2 ? 'a' : '');
        if (n % 4 === 1) register(time + (n % 3), key, 'a');
        if (n % 5 === 2) del(time + 1, `k${n % 30}`, '');
      };
      const refAdvance = (wm: number) => {
        if (wm <= refWm) return;
        const out = refWm;
        refWm = wm;
        for (;;) {
          const due = ref.filter((t) => t.time <= refWm).sort((a, b) => a.time - b.time || a.seq - b.seq)[0];
          if (!due) return;
          ref = ref.filter((t) => t !== due);
          refFired.push(`${due.time}/${due.ns}/${due.key}@${out}`);
          reaction(due.time, due.key, refFired.length, refRegister, refDelete);
        }
      };
      const fired: string[] = [];
      let svc: TimerServiceImpl;
      const onFire = (t: FiredTimer) => {
        fired.push(`${t.time}/${t.namespace}/${t.key}@${t.outputWatermark}`);
        reaction(t.time, t.key, fired.length, (a, b, c) => svc.registerEventTimer(a, b, c), (a, b, c) => svc.deleteEventTimer(a, b, c));
      };
      svc = new TimerServiceImpl(onFire);
      let wm = 0;
      let latest = 0;
      for (let step = 0; step < 400; step++) {
        // Every fourth seed seldom advances: many timers per time (the indexed buckets).
        const op = seed % 4 === 0 && pick(8) > 0 ? pick(7) : pick(10);
        // Narrow ranges fill a time with many timers (indexed buckets); seeds past 40 register mostly
        // in time order, now and then earlier (the sorted run and the heap beside it).
        const time = seed > 40 ? (pick(6) ? (latest += pick(3)) : latest - pick(20)) : wm + pick(seed % 2 ? 40 : 6) - 2;
        const key = `k${pick(30)}`;
        const ns = pick(3) === 0 ? 'a' : '';
        if (op < 5) { svc.registerEventTimer(time, key, ns); refRegister(time, key, ns); }
        else if (op < 7) { svc.deleteEventTimer(time, key, ns); refDelete(time, key, ns); }
        else if (op < 9) { wm += pick(12); svc.atRecord(wm); refAdvance(wm); }
        else {
          // A restore from a snapshot keeps every timer and the order of ties.
          const snap = svc.snapshot();
          const at = svc.currentWatermark();
          svc = new TimerServiceImpl(onFire);
          svc.restore(snap, at);
        }
        expect(svc.pending).toBe(ref.length);
      }
      wm += 1000;
      svc.advance(wm);
      refAdvance(wm);
      expect(fired).toEqual(refFired);
    }
  });
});

