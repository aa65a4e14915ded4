import { describe, expect, it } from 'vitest';
import { seeded } from '../test-utils/reference.js';
import { TimeHeap } from './time-heap.js';

describe('time heap', () => {
  it('gives items back earliest first, with peekTime the earliest time, over random pushes and pops', () => {
    const rand = seeded(7);
    const heap = new TimeHeap<{ time: number }>();
    const kept: number[] = [];
    expect(heap.peekTime()).toBe(Infinity);
    for (let step = 0; step < 2000; step++) {
      if (kept.length && rand() < 0.45) {
        const least = Math.min(...kept);
        expect(heap.peek()!.time).toBe(least);
        expect(heap.peekTime()).toBe(least);
        heap.pop();
        kept.splice(kept.indexOf(least), 1);
      } else {
        const time = Math.floor(rand() * 100);
        heap.push({ time });
        kept.push(time);
      }
    }
    expect(heap.peekTime()).toBe(kept.length ? Math.min(...kept) : Infinity);
  });
});
