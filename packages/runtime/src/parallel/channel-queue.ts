import type { Rec } from '../core/batch.js';

/**
 * What waits of one channel, in the order it is released: by source position (or, without
 * one, watermark), ties in arrival order. A channel's records come in that order almost always,
 * so this is a queue (appended, taken from the head) with a sorted insert for the rare record
 * that is not.
 */
export class ChannelQueue {
  records: Rec[] = [];
  times: number[] = [];
  wms: number[] = [];
  seqs: (number | undefined)[] = [];
  at: number[] = [];
  /** Arrival order over all channels (ties between channels keep it). */
  ord: number[] = [];
  head = 0;
  /** Watermarks of what waits do not decrease from head to tail (then the head's is the lowest). */
  private wmSorted = true;

  get size(): number {
    return this.records.length - this.head;
  }

  key(i: number): number {
    return this.seqs[i] ?? this.wms[i];
  }

  push(record: Rec, time: number, wm: number, at: number, seq: number | undefined, ord: number): void {
    const k = seq ?? wm;
    let i = this.records.length;
    if (i === this.head) this.wmSorted = true;
    else if (this.wms[i - 1] > wm) this.wmSorted = false;
    if (i > this.head && this.key(i - 1) > k) {
      // Out of order on its channel: after its equals, by binary search over what waits.
      let lo = this.head;
      let hi = i;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.key(mid) <= k) lo = mid + 1;
        else hi = mid;
      }
      i = lo;
      this.wmSorted = false;
    }
    if (i === this.records.length) {
      this.records.push(record);
      this.times.push(time);
      this.wms.push(wm);
      this.seqs.push(seq);
      this.at.push(at);
      this.ord.push(ord);
      return;
    }
    this.records.splice(i, 0, record);
    this.times.splice(i, 0, time);
    this.wms.splice(i, 0, wm);
    this.seqs.splice(i, 0, seq);
    this.at.splice(i, 0, at);
    this.ord.splice(i, 0, ord);
  }

  /** The lowest watermark of what waits (Infinity: nothing). */
  lowestWm(): number {
    if (this.head >= this.records.length) return Infinity;
    if (this.wmSorted) return this.wms[this.head];
    let min = Infinity;
    for (let i = this.head; i < this.wms.length; i++) if (this.wms[i] < min) min = this.wms[i];
    return min;
  }

  /** Everything still waiting, without source positions (the merge orders by watermark from now on). */
  dropSeqs(): void {
    for (let i = this.head; i < this.seqs.length; i++) this.seqs[i] = undefined;
  }

  /** Drops what was taken once it is most of the arrays. */
  compact(): void {
    if (this.head < 1024 || this.head * 2 < this.records.length) return;
    const h = this.head;
    this.records = this.records.slice(h);
    this.times = this.times.slice(h);
    this.wms = this.wms.slice(h);
    this.seqs = this.seqs.slice(h);
    this.at = this.at.slice(h);
    this.ord = this.ord.slice(h);
    this.head = 0;
  }
}
