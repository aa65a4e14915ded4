import * as hdr from 'hdr-histogram-js';
import type { LatencySummary } from '@eddy/shared';

const WINDOW_MS = 5000;
const newHistogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2 });

/**
 * Latency in microseconds over a sliding ~5–10 s window: two HDR histograms, the older
 * one dropped every 5 s, so the dashboard shows recent latency, not the job's lifetime.
 */
export class LatencyRecorder {
  private current = newHistogram();
  private previous = newHistogram();
  private rotatedAt = 0;
  private totalCount = 0;
  private totalMs = 0;

  record(latencyMs: number, count: number, nowMs: number): void {
    this.totalCount += count;
    this.totalMs += latencyMs * count;
    if (nowMs - this.rotatedAt >= WINDOW_MS) this.rotate(nowMs);
    this.current.recordValueWithCount(Math.max(1, Math.round(latencyMs * 1000)), count);
  }

  summary(nowMs: number): LatencySummary {
    if (nowMs - this.rotatedAt >= 2 * WINDOW_MS) {
      this.rotate(nowMs);
      this.rotate(nowMs);
    }
    const merged = newHistogram();
    merged.add(this.previous);
    merged.add(this.current);
    const count = merged.totalCount;
    const ms = (us: number) => (count ? Math.round(us) / 1000 : 0);
    const result = {
      p50: ms(merged.getValueAtPercentile(50)),
      p95: ms(merged.getValueAtPercentile(95)),
      p99: ms(merged.getValueAtPercentile(99)),
      p999: ms(merged.getValueAtPercentile(99.9)),
      max: ms(merged.maxValue),
      count,
      totalCount: this.totalCount,
      totalMs: this.totalMs,
    };
    merged.destroy();
    return result;
  }

  private rotate(nowMs: number): void {
    const old = this.previous;
    this.previous = this.current;
    old.reset();
    this.current = old;
    this.rotatedAt = nowMs;
  }
}

/** A batch is timed once this many records came since the last timed one... */
export const SAMPLE_EVERY_RECORDS = 64;
/** ...or once it left its source this much later than the last timed one, whichever comes first. */
export const SAMPLE_EVERY_MS = 1;

/**
 * Which batches a node times. Reading the clock and inserting into the histogram cost about
 * 100 ns; with batches of a few records (a paced source in native mode) that would be paid per
 * record. A timed batch's latency stands for every record since the previous timed batch (its
 * weight), so the histogram still counts each record once. The clock is read at most once per 64
 * records plus once per millisecond of source time (≤ 1000 times a second: negligible): a stream
 * of under 1000 batches a second is timed in full, big batches (≥ 64 records) always; a faster
 * one of small batches is sampled.
 */
export class LatencySampler {
  private pending = 0;
  /** The latest source time of a timed batch. */
  private timedArrival = -Infinity;

  /** A batch of `n` records that left its source at `arrivedAt`: the weight to time it with, or 0 to leave it untimed. */
  take(n: number, arrivedAt: number): number {
    const pending = (this.pending += n);
    if (pending < SAMPLE_EVERY_RECORDS && arrivedAt - this.timedArrival < SAMPLE_EVERY_MS) return 0;
    if (arrivedAt > this.timedArrival) this.timedArrival = arrivedAt;
    this.pending = 0;
    return pending;
  }
}
