import { TimeHeap } from './time-heap.js';

/**
 * Items with distinct times, looked up by time and taken earliest first: the timer service's
 * buckets. Timers mostly arrive in time order (a record's expiry or window end, with records
 * near in order), so an item later than every item so far goes at the end of a sorted run —
 * no hashing, no sifting; it is found again by binary search. Only an item that arrives out
 * of order goes into a heap, with a map to find it. Measured on q11 (a timer per bid, each at
 * its own time): ~270 ns a timer with a map and heap for every bucket; see docs/performance.md.
 */
export class BucketQueue<T extends { readonly time: number }> {
  /** Strictly increasing times; items before `head` are taken. */
  private run: T[] = [];
  private head = 0;
  /** The greatest time ever put in the run (taking items does not lower it). */
  private runMax = -Infinity;
  private readonly heap = new TimeHeap<T>();
  private readonly inHeap = new Map<number, T>();

  get size(): number {
    return this.run.length - this.head + this.inHeap.size;
  }

  /** The item at `time`, or undefined. */
  get(time: number): T | undefined {
    if (time > this.runMax) return undefined; // later than anything in the run, and than anything in the heap (see add)
    const { run } = this;
    let lo = this.head;
    let hi = run.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = run[mid].time;
      if (t === time) return run[mid];
      if (t < time) lo = mid + 1;
      else hi = mid - 1;
    }
    return this.inHeap.size ? this.inHeap.get(time) : undefined;
  }

  /** Adds an item whose time is not here yet. */
  add(x: T): void {
    // An item goes to the heap only when its time is below runMax, so runMax bounds the heap too.
    if (x.time > this.runMax) {
      this.run.push(x);
      this.runMax = x.time;
      return;
    }
    this.heap.push(x);
    this.inHeap.set(x.time, x);
  }

  /** The earliest item. */
  peek(): T | undefined {
    const r = this.head < this.run.length ? this.run[this.head] : undefined;
    const h = this.heap.peek();
    if (r === undefined) return h;
    return h !== undefined && h.time < r.time ? h : r;
  }

  /** The earliest time (Infinity when empty). */
  peekTime(): number {
    const r = this.head < this.run.length ? this.run[this.head].time : Infinity;
    const h = this.heap.peekTime();
    return h < r ? h : r;
  }

  /** Takes the earliest item away. */
  pop(): void {
    const h = this.heap.peekTime();
    if (this.head < this.run.length && this.run[this.head].time < h) {
      this.run[this.head++] = undefined as unknown as T; // let it be collected
      // Drop the taken front once it is most of the array (amortized O(1) a pop).
      if (this.head >= 1024 && this.head * 2 >= this.run.length) {
        this.run = this.run.slice(this.head);
        this.head = 0;
      }
      return;
    }
    const x = this.heap.peek();
    if (x === undefined) return;
    this.heap.pop();
    this.inHeap.delete(x.time);
  }

  *values(): IterableIterator<T> {
    for (let i = this.head; i < this.run.length; i++) yield this.run[i];
    yield* this.inHeap.values();
  }
}
