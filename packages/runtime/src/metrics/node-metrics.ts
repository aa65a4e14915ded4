import * as hdr from 'hdr-histogram-js';
import type { LatencySummary, ModelMetrics, NodeMetrics } from '@eddy/shared';

/** Counts per one-second bucket; the rate is the last full second blended with the current one. */
export class RateMeter {
  private bucketStart = 0;
  private current = 0;
  private previous = 0;

  add(n: number, nowMs: number): void {
    this.roll(nowMs);
    this.current += n;
  }

  perSecond(nowMs: number): number {
    this.roll(nowMs);
    const fraction = Math.min(1, (nowMs - this.bucketStart) / 1000);
    return Math.round(this.previous * (1 - fraction) + this.current);
  }

  private roll(nowMs: number): void {
    if (nowMs - this.bucketStart < 1000) return;
    // A gap of more than one second means the previous second saw nothing.
    this.previous = nowMs - this.bucketStart < 2000 ? this.current : 0;
    this.current = 0;
    this.bucketStart = nowMs - ((nowMs - this.bucketStart) % 1000);
  }
}

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

/** The live figures of one node; updated once per batch, read once per second. */
export class NodeMetricsRecorder {
  recordsIn = 0;
  recordsOut = 0;
  lateRecords = 0;
  errors = 0;
  watermark: number | null = null;
  /** Milliseconds per second this node's output waited on downstream (or the mailbox). */
  private readonly blocked = new RateMeter();
  private blockedSince: number | null = null;
  readonly rateIn = new RateMeter();
  readonly rateOut = new RateMeter();
  readonly latency = new LatencyRecorder();

  constructor(private readonly enabled: boolean) {}

  onInput(n: number, latencyMs: number, nowMs: number): void {
    this.recordsIn += n;
    if (!this.enabled) return;
    this.rateIn.add(n, nowMs);
    this.latency.record(latencyMs, n, nowMs);
  }

  onOutput(n: number, nowMs: number): void {
    this.recordsOut += n;
    if (this.enabled) this.rateOut.add(n, nowMs);
  }

  /** Output is waiting on downstream from `nowMs` until `unblocked` is called. */
  blockedFrom(nowMs: number): void {
    this.blockedSince ??= nowMs;
  }

  unblocked(nowMs: number): void {
    if (this.blockedSince === null) return;
    this.blocked.add(nowMs - this.blockedSince, nowMs);
    this.blockedSince = null;
  }

  /** Share of the last second spent blocked, counting a wait still under way (0..1). */
  backpressure(nowMs: number): number {
    const ongoing = this.blockedSince === null ? 0 : Math.min(1000, nowMs - this.blockedSince);
    return Math.min(1, Math.round(this.blocked.perSecond(nowMs) + ongoing) / 1000);
  }

  snapshot(nowMs: number, wallNow: number, state: { keys: number; bytes: number }, isSink: boolean): NodeMetrics {
    const rateIn = this.rateIn.perSecond(nowMs);
    const rateOut = this.rateOut.perSecond(nowMs);
    const wm = this.watermark;
    const finite = wm !== null && Number.isFinite(wm) && wm < Number.MAX_SAFE_INTEGER;
    return {
      recordsIn: this.recordsIn,
      recordsOut: this.recordsOut,
      ratePerSec: isSink ? rateIn : rateOut,
      ratePerSecIn: rateIn,
      latencyMs: this.latency.summary(nowMs),
      watermark: finite ? wm : null,
      watermarkLagMs: finite ? Math.max(0, wallNow - wm!) : null,
      lateRecords: this.lateRecords,
      errors: this.errors,
      stateKeys: state.keys,
      stateBytes: state.bytes,
      backpressure: this.backpressure(nowMs),
    };
  }
}

/** Adds what the operator reports about its models (score nodes), to a node's figures. */
export function withModelMetrics(m: NodeMetrics, operator: { modelMetrics?(): ModelMetrics | undefined } | null): NodeMetrics {
  const model = operator?.modelMetrics?.();
  return model ? { ...m, model } : m;
}
