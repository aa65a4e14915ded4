import { WatermarkTracker } from './event-time.js';

/**
 * A source's watermark over its splits (Kafka partitions), as Flink's per-partition
 * watermarks: each split has its own bounded-out-of-orderness tracker and the source's
 * watermark is the minimum over the splits that are not idle (no records for idleTimeout),
 * never going back. A source that names no split has one, and this is one WatermarkTracker.
 */
export class SplitWatermarks {
  private readonly splits = new Map<string, { tracker: WatermarkTracker; lastAt: number }>();
  private active!: WatermarkTracker;
  current = -Infinity;

  constructor(private readonly maxOutOfOrdernessMs: number, private readonly idleTimeoutMs: number | undefined, private readonly clock: () => number) {
    this.select(undefined);
  }

  /** Splits the source reads: each holds the watermark back until it has records (or is idle). */
  declare(ids: string[]): void {
    // The unnamed split only stands in for a source that names none.
    const unnamed = this.splits.get('');
    if (ids.length && unnamed && unnamed.tracker.maxEventTime === -Infinity) this.splits.delete('');
    for (const id of ids) if (!this.splits.has(id)) this.splits.set(id, { tracker: new WatermarkTracker(this.maxOutOfOrdernessMs), lastAt: this.clock() });
    this.recompute();
  }

  /** The split the next observed records come from; `now`: the caller's clock reading (one per batch). */
  select(split: string | undefined, now = this.clock()): void {
    const id = split ?? '';
    if (split !== undefined && !this.splits.has(id)) this.declare([id]);
    let entry = this.splits.get(id);
    if (!entry) this.splits.set(id, entry = { tracker: new WatermarkTracker(this.maxOutOfOrdernessMs), lastAt: now });
    entry.lastAt = now;
    this.active = entry.tracker;
    if (this.splits.size > 1) this.recompute(now);
  }

  observe(ts: number): void {
    const t = this.active;
    const before = t.current;
    t.observe(ts);
    if (t.current === before) return;
    if (this.splits.size === 1) this.current = t.current;
    else this.recompute();
  }

  /** The maximum event time over all splits. */
  get maxEventTime(): number {
    let max = -Infinity;
    for (const s of this.splits.values()) max = Math.max(max, s.tracker.maxEventTime);
    return max;
  }

  /**
   * For records of `split` read elsewhere (parallel/piece-reader.ts): the split's maximum event
   * time, and the lowest watermark of the other splits (Infinity: none). Idleness aside: a
   * source read in pieces has no idle timeout.
   */
  bounds(split: string | undefined): { max: number; others: number } {
    const id = split ?? '';
    let others = Infinity;
    for (const [k, s] of this.splits) if (k !== id && s.tracker.current < others) others = s.tracker.current;
    return { max: this.splits.get(id)?.tracker.maxEventTime ?? -Infinity, others };
  }

  /** Each named split's maximum event time (a checkpoint keeps it); undefined for a source without splits. */
  snapshot(): Record<string, number> | undefined {
    if (!this.splits.size || this.splits.has('')) return undefined;
    return Object.fromEntries([...this.splits].map(([id, s]) => [id, s.tracker.maxEventTime]));
  }

  restore(maxEventTime: number, splits?: Record<string, number>): void {
    this.splits.clear();
    this.current = -Infinity;
    for (const [id, max] of Object.entries(splits ?? {})) {
      const tracker = new WatermarkTracker(this.maxOutOfOrdernessMs);
      tracker.restore(max);
      this.splits.set(id, { tracker, lastAt: this.clock() });
      this.active = tracker;
    }
    if (!this.splits.size) {
      this.select(undefined);
      this.active.restore(maxEventTime);
    }
    this.recompute();
  }

  private recompute(now = this.clock()): void {
    let min = Infinity;
    for (const s of this.splits.values()) {
      if (this.idleTimeoutMs && now - s.lastAt >= this.idleTimeoutMs && s.tracker !== this.active) continue;
      min = Math.min(min, s.tracker.current);
    }
    if (min !== Infinity && min > this.current) this.current = min;
  }
}
