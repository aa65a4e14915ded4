import type { Batch } from './batch.js';
import { NO_WATERMARK } from './batch.js';
import type { Operator } from './operator.js';
import { allDone, andThen, isPromise, type MaybePromise } from './async.js';
import type { NodeMetricsRecorder } from '../metrics/node-metrics.js';

export interface WatermarkSnapshot { inputs: number[]; idle: boolean[]; watermark: number }

interface Target { node: NodeRuntime; inputIndex: number; port: string }

/**
 * One operator instance in the job's DAG: it counts, hands batches to its operator,
 * forwards what the operator emitted, and tracks the minimum watermark over its inputs.
 */
export class NodeRuntime {
  private readonly outputs = new Map<string, Target[]>();
  /** Latest watermark of each incoming edge. */
  private inputWms: number[] = [];
  /** Inputs whose source went idle: they do not hold the minimum back (as Flink's idleness). */
  private inputIdle: boolean[] = [];
  private idle = false;
  private watermark = NO_WATERMARK;
  private emitted: [string, Batch][] = [];
  /** Runs after each operator call, when the operator holds no state values (an on-disk backend writes back then). */
  afterCall: (() => void) | null = null;

  constructor(
    readonly id: string,
    readonly kind: string,
    readonly operator: Operator,
    readonly metrics: NodeMetricsRecorder,
    private readonly clock: () => number,
    private readonly tap?: (nodeId: string, port: string, records: Batch['records']) => void,
  ) {}

  /** Declares an edge into this node; returns its input index. */
  addInput(): number {
    this.inputWms.push(NO_WATERMARK);
    this.inputIdle.push(false);
    return this.inputWms.length - 1;
  }

  connect(fromPort: string, target: NodeRuntime, toPort: string): void {
    const inputIndex = target.addInput();
    const list = this.outputs.get(fromPort) ?? [];
    list.push({ node: target, inputIndex, port: toPort });
    this.outputs.set(fromPort, list);
  }

  currentWatermark(): number {
    return this.watermark;
  }

  /** Watermarks per input and the node's own: kept in checkpoints so lateness after a restore is decided as before it. */
  snapshotWatermarks(): WatermarkSnapshot {
    return { inputs: [...this.inputWms], idle: [...this.inputIdle], watermark: this.watermark };
  }

  restoreWatermarks(s: WatermarkSnapshot): void {
    if (s.inputs.length !== this.inputWms.length) return; // edges changed: start from no watermark
    this.inputWms = [...s.inputs];
    this.inputIdle = [...s.idle];
    this.watermark = s.watermark;
    if (s.watermark > -Infinity) this.metrics.watermark = s.watermark;
  }

  /** Called by the operator context. */
  collect(batch: Batch, port: string): void {
    if (batch.records.length) this.emitted.push([port, batch]);
  }

  /** A batch arrives on one input edge. */
  receive(batch: Batch, inputIndex: number, port: string): MaybePromise {
    const n = batch.records.length;
    if (n === 0) return;
    const now = this.clock();
    this.metrics.onInput(n, now - batch.arrivedAt, now);
    if (this.inputWms.length > 1) batch = this.withEffectiveWatermarks(batch, inputIndex);
    const result = this.operator.processBatch(batch, port);
    if (isPromise(result)) return result.then(() => { this.afterCall?.(); return this.flush(); });
    this.afterCall?.();
    return this.flush();
  }

  /** A source hands its own batch downstream. */
  emitFromSource(batch: Batch): MaybePromise {
    this.collect(batch, 'out');
    return this.flush();
  }

  /** A watermark arrives on one input edge (inputIndex -1: this node is a source). */
  receiveWatermark(wm: number, inputIndex: number): MaybePromise {
    if (inputIndex >= 0) {
      if (wm <= this.inputWms[inputIndex]) return;
      this.inputWms[inputIndex] = wm;
      wm = this.combinedWatermark();
    }
    return this.advanceTo(wm);
  }

  /**
   * An input went idle (or active again). An idle input is left out of the minimum; when
   * every input is idle this node is idle too and says so downstream.
   */
  receiveIdle(idle: boolean, inputIndex: number): MaybePromise {
    if (inputIndex >= 0) {
      if (this.inputIdle[inputIndex] === idle) return;
      this.inputIdle[inputIndex] = idle;
    }
    const allIdle = inputIndex < 0 ? idle : this.inputIdle.every(Boolean);
    const advanced = inputIndex >= 0 && !allIdle ? this.advanceTo(this.combinedWatermark()) : undefined;
    if (allIdle === this.idle) return advanced;
    this.idle = allIdle;
    return andThen(advanced, () => {
      const results: MaybePromise[] = [];
      for (const targets of this.outputs.values()) for (const t of targets) results.push(t.node.receiveIdle(allIdle, t.inputIndex));
      return allDone(results);
    });
  }

  private combinedWatermark(): number {
    let min = Infinity;
    for (let i = 0; i < this.inputWms.length; i++) if (!this.inputIdle[i] && this.inputWms[i] < min) min = this.inputWms[i];
    return min === Infinity ? NO_WATERMARK : min;
  }

  private advanceTo(wm: number): MaybePromise {
    if (wm <= this.watermark) return;
    this.watermark = wm;
    this.metrics.watermark = wm;
    const fired = this.operator.onWatermark?.(wm);
    return andThen(andThen(fired, () => { this.afterCall?.(); return this.flush(); }), () => this.forwardWatermark(wm));
  }

  private forwardWatermark(wm: number): MaybePromise {
    const results: MaybePromise[] = [];
    for (const targets of this.outputs.values()) {
      for (const t of targets) results.push(t.node.receiveWatermark(wm, t.inputIndex));
    }
    return allDone(results);
  }

  private flush(): MaybePromise {
    if (this.emitted.length === 0) return;
    const emitted = this.emitted;
    this.emitted = [];
    const now = this.clock();
    const results: MaybePromise[] = [];
    for (const [port, batch] of emitted) {
      this.metrics.onOutput(batch.records.length, now);
      this.tap?.(this.id, port, batch.records);
      const targets = this.outputs.get(port);
      if (!targets) continue;
      for (const t of targets) results.push(t.node.receive(batch, t.inputIndex, t.port));
    }
    const done = allDone(results);
    if (!isPromise(done) || this.inputWms.length === 0) return done; // a source's wait is timed by its driver
    this.metrics.blockedFrom(now);
    return done.finally(() => this.metrics.unblocked(this.clock()));
  }

  /**
   * With several inputs, a record's watermark is bounded by the other inputs' watermarks
   * (the operator's watermark is the minimum over all of them).
   */
  private withEffectiveWatermarks(batch: Batch, inputIndex: number): Batch {
    let others = Infinity;
    for (let i = 0; i < this.inputWms.length; i++) {
      if (i !== inputIndex && !this.inputIdle[i]) others = Math.min(others, this.inputWms[i]);
    }
    const wms = batch.wms.map((w) => Math.min(w, others));
    return { ...batch, wms };
  }
}
