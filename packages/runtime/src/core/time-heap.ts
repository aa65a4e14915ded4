/**
 * A min-heap of items by their time (the timer service's buckets). The times sit in their own
 * array beside the items, so sifting compares numbers in one packed array instead of reading
 * an item object at each step.
 */
export class TimeHeap<T extends { readonly time: number }> {
  private readonly a: T[] = [];
  private readonly t: number[] = [];

  peek(): T | undefined { return this.a[0]; }

  /** The earliest time, without reading its item (Infinity when empty). */
  peekTime(): number { return this.t.length ? this.t[0] : Infinity; }

  push(x: T): void {
    const { a, t } = this;
    const time = x.time;
    let i = a.length;
    a.push(x);
    t.push(time);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (t[p] <= time) break;
      a[i] = a[p];
      t[i] = t[p];
      i = p;
    }
    a[i] = x;
    t[i] = time;
  }

  pop(): void {
    const { a, t } = this;
    const last = a.pop()!;
    const lastTime = t.pop()!;
    const n = a.length;
    if (!n) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && t[l + 1] < t[l] ? l + 1 : l;
      if (t[c] >= lastTime) break;
      a[i] = a[c];
      t[i] = t[c];
      i = c;
    }
    a[i] = last;
    t[i] = lastTime;
  }
}
