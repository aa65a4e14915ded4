import { describe, expect, it } from 'vitest';
import { seeded } from '../test-utils/reference.js';
import { BucketQueue } from './bucket-queue.js';

describe('bucket queue', () => {
  it('finds items by time and gives them back earliest first, over random in-order and out-of-order adds and pops', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const rand = seeded(seed);
      const q = new BucketQueue<{ time: number }>();
      const kept = new Map<number, { time: number }>();
      let latest = 0;
      for (let step = 0; step < 3000; step++) {
        const r = rand();
        if (kept.size && r < 0.4) {
          const least = Math.min(...kept.keys());
          expect(q.peekTime()).toBe(least);
          expect(q.peek()).toBe(kept.get(least));
          q.pop();
          kept.delete(least);
        } else {
          // Mostly later than all before (the run); sometimes earlier, also below what was taken (the heap).
          const time = r < 0.85 ? (latest += 1 + Math.floor(rand() * 3)) : latest - Math.floor(rand() * 60);
          const item = { time };
          expect(q.get(time)).toBe(kept.get(time));
          if (!kept.has(time)) { q.add(item); kept.set(time, item); }
        }
        expect(q.size).toBe(kept.size);
      }
      expect(new Set(q.values())).toEqual(new Set(kept.values()));
      const out: number[] = [];
      for (let x = q.peek(); x; x = q.peek()) { out.push(x.time); q.pop(); }
      expect(out).toEqual([...kept.keys()].sort((a, b) => a - b));
      expect(q.peekTime()).toBe(Infinity);
    }
  });

  it('keeps finding items after most of a long run was taken (its front dropped)', () => {
    const q = new BucketQueue<{ time: number }>();
    for (let t = 0; t < 5000; t++) q.add({ time: 2 * t });
    for (let i = 0; i < 4000; i++) q.pop();
    expect(q.size).toBe(1000);
    expect(q.get(7998)).toBeUndefined();
    expect(q.get(8000)?.time).toBe(8000);
    expect(q.get(9998)?.time).toBe(9998);
    expect(q.get(8001)).toBeUndefined();
    q.add({ time: 7998 }); // below the run's greatest: the heap
    expect(q.peekTime()).toBe(7998);
    expect(q.get(7998)?.time).toBe(7998);
  });
});
