import type { ModelMetrics, NodeMetrics } from '@eddy/shared';
import { LatencyRecorder, LatencySampler, SAMPLE_EVERY_MS, SAMPLE_EVERY_RECORDS } from './latency.js';

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

/**
 * The live figures of one node, read about once per second. Per batch it only adds to its
 * counters and compares a few numbers: the clock is read and the latency histogram updated for
 * the batches LatencySampler picks; the rate meters catch up with the counters then (records in),
 * once per 64 records or millisecond of source time (records out), and at each snapshot.
 */
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
  private readonly sampler = new LatencySampler();
  /** The counts the rate meters have; the source time of the output batch that last caught up. */
  private ratedIn = 0;
  private ratedOut = 0;
  private outRatedArrival = -Infinity;
  /** The latest time known without reading the clock (a clock reading or a batch's source time): rates are counted at it. */
  private known = -Infinity;

  constructor(private readonly enabled: boolean, private readonly clock: () => number = () => performance.now()) {}

  /** `n` records arrived in a batch that left its source at `arrivedAt` (monotonic ms). */
  onInput(n: number, arrivedAt: number): void {
    this.recordsIn += n;
    if (!this.enabled) return;
    const weight = this.sampler.take(n, arrivedAt);
    if (weight === 0) return;
    const now = this.clock();
    this.latency.record(now - arrivedAt, weight, now);
    if (now > this.known) this.known = now;
    this.rateIn.add(this.recordsIn - this.ratedIn, this.known);
    this.ratedIn = this.recordsIn;
  }

  /** `n` records left in a batch that left its source at `arrivedAt`. */
  onOutput(n: number, arrivedAt: number): void {
    const out = (this.recordsOut += n);
    if (!this.enabled || (out - this.ratedOut < SAMPLE_EVERY_RECORDS && arrivedAt - this.outRatedArrival < SAMPLE_EVERY_MS)) return;
    if (arrivedAt > this.outRatedArrival) this.outRatedArrival = arrivedAt;
    if (arrivedAt > this.known) this.known = arrivedAt;
    this.rateOut.add(out - this.ratedOut, this.known);
    this.ratedOut = out;
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
    if (this.enabled) {
      // What the meters have not been handed yet counts now.
      this.rateIn.add(this.recordsIn - this.ratedIn, nowMs);
      this.rateOut.add(this.recordsOut - this.ratedOut, nowMs);
      this.ratedIn = this.recordsIn;
      this.ratedOut = this.recordsOut;
    }
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
