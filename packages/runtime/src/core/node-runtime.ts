import type { Batch, Rec } from './batch.js';
import { nodeFailure } from './node-error.js';
import { NO_WATERMARK } from './batch.js';
import type { Operator } from './operator.js';
import { allDone, andThen, isPromise, type MaybePromise } from './async.js';
import type { NodeMetricsRecorder } from '../metrics/node-metrics.js';
import { TimerServiceImpl, type TimerSnapshot } from './timer-service.js';
import { capWatermarks, orderByWatermark, ReconvergeQueue, type BufferedInput, type Drainable } from './reconverge.js';

export interface WatermarkSnapshot { inputs: number[]; idle: boolean[]; watermark: number; timers?: TimerSnapshot }

/**
 * Where a node hands what it emits: another node on this thread, or a channel to other
 * threads (parallel subtasks). Events arrive in order per input: batches, watermarks,
 * idleness and checkpoint barriers.
 */
export interface Downstream {
  /** Declares an edge into this downstream; returns its input index. */
  addInput(): number;
  receive(batch: Batch, inputIndex: number, port: string): MaybePromise;
  receiveWatermark(wm: number, inputIndex: number): MaybePromise;
  receiveIdle(idle: boolean, inputIndex: number): MaybePromise;
  receiveBarrier(id: number, inputIndex: number): MaybePromise;
}

/** A source's watermark as a multi-input node's cap reads it (a source on this thread, or a mirror of one on another). */
export interface WatermarkView { readonly watermark: number; readonly idle: boolean }

interface Target { node: Downstream; inputIndex: number; port: string }

/**
 * A barrier has passed every input of a node: take its snapshot (or, for the end-of-input
 * barrier, note that it is done) before anything after the barrier reaches it.
 */
export type BarrierHandler = (node: NodeRuntime, id: number) => MaybePromise;

export interface NodeRuntimeEnv {
  /** Monotonic ms. */
  clock: () => number;
  /** Epoch ms (processing-time timers). */
  wallClock?: () => number;
  tap?: (nodeId: string, port: string, records: Batch['records']) => void;
  /** Shared by the job's nodes: multi-input nodes drain in topological order at each task's end. */
  reconverge?: ReconvergeQueue;
  /** Runs a task in the job's mailbox (processing-time timers); failures fail the job. */
  runTask?: (task: () => MaybePromise) => void;
}

/**
 * One node of the job's DAG: it counts, hands batches to its operator (a source node has
 * none; its SourceDriver pushes through `emitFromSource`), forwards what the operator
 * emitted, tracks the minimum watermark over its inputs, and owns the timer service. Output fired by a watermark is emitted before that
 * watermark is forwarded (Flink's order), so downstream judges it against the previous one.
 */
export class NodeRuntime implements Drainable, Downstream, WatermarkView {
  private readonly outputs = new Map<string, Target[]>();
  /** Latest watermark of each incoming edge. */
  private inputWms: number[] = [];
  /** Inputs whose source went idle: they do not hold the minimum back (as Flink's idleness). */
  private inputIdle: boolean[] = [];
  private idleNow = false;
  private wmNow = NO_WATERMARK;
  /** Which inputs delivered the barrier being aligned, and what arrived behind it (held until aligned, as Flink's aligned checkpoints). */
  private barrierSeen: boolean[] = [];
  private held: (() => MaybePromise)[] = [];
  /** Set by a parallel job: what a node does when a barrier passed all its inputs. */
  onBarrier: BarrierHandler | null = null;
  private emitted: [string, Batch][] = [];
  /** The batch `output` appends to (the last one emitted, while it is the node's own). */
  private open: Batch | null = null;
  private openPort = '';
  /** arrivedAt of the batch being processed (end-to-end latency of what it produces). */
  private arrivedAt: number | null = null;
  /** Multi-input nodes: what arrived during this task, handed on by watermark order. */
  private buffered: BufferedInput[] = [];
  /** Per input: the sources upstream of this node but not of that input, whose watermark bounds its records. */
  private caps: WatermarkView[][] = [];
  readonly timers: TimerServiceImpl;
  order = 0;
  private readonly reconverge: ReconvergeQueue;
  private alarm: NodeJS.Timeout | null = null;
  /** Runs after each operator call, when the operator holds no state values (an on-disk backend writes back then). */
  afterCall: (() => void) | null = null;

  constructor(
    readonly id: string,
    readonly kind: string,
    /** null for a source node (it has no input). */
    readonly operator: Operator | null,
    readonly metrics: NodeMetricsRecorder,
    private readonly env: NodeRuntimeEnv,
  ) {
    this.reconverge = env.reconverge ?? new ReconvergeQueue();
    this.timers = new TimerServiceImpl(
      (timer) => {
        if (!operator?.onTimer) throw new Error(`${kind} '${id}' registered a timer but has no onTimer`);
        operator.onTimer(timer);
      },
      (at) => this.armAlarm(at),
      env.wallClock,
    );
  }

  /** Declares an edge into this node; returns its input index. */
  addInput(): number {
    this.inputWms.push(NO_WATERMARK);
    this.inputIdle.push(false);
    return this.inputWms.length - 1;
  }

  get watermark(): number { return this.wmNow; }
  get idle(): boolean { return this.idleNow; }

  connect(fromPort: string, target: Downstream, toPort: string): void {
    const inputIndex = target.addInput();
    const list = this.outputs.get(fromPort) ?? [];
    list.push({ node: target, inputIndex, port: toPort });
    this.outputs.set(fromPort, list);
  }

  /** Sources whose watermark bounds the records of each input (see Job: sources not upstream of that input). */
  setWatermarkCaps(caps: WatermarkView[][]): void {
    this.caps = caps;
  }

  /** The watermark in force for the operator: the inputs' minimum, or a record's own when it is ahead (per-record time). */
  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  /** Watermarks per input, the node's own and its timers: kept in checkpoints so time after a restore goes on as before. */
  snapshotWatermarks(): WatermarkSnapshot {
    return { inputs: [...this.inputWms], idle: [...this.inputIdle], watermark: this.wmNow, timers: this.timers.snapshot() };
  }

  restoreWatermarks(s: WatermarkSnapshot): void {
    if (s.inputs.length === this.inputWms.length) {
      this.inputWms = [...s.inputs];
      this.inputIdle = [...s.idle];
      this.wmNow = s.watermark;
      if (s.watermark > -Infinity) this.metrics.watermark = s.watermark;
    }
    // Timers belong to the operator's state: restored with it even when edges changed.
    this.timers.restore(s.timers, this.wmNow);
  }

  /** Called by the operator context: a whole batch. */
  collect(batch: Batch, port: string): void {
    if (!batch.records.length) return;
    this.emitted.push([port, batch]);
    this.open = null;
  }

  /** Called by the operator context: one record, appended to the node's current output batch (order kept). */
  output(record: Rec, time: number, wm: number, port: string): void {
    let b = this.open;
    if (!b || this.openPort !== port) {
      b = this.open = { records: [], times: [], wms: [], arrivedAt: this.arrivedAt ?? this.env.clock() };
      this.openPort = port;
      this.emitted.push([port, b]);
    }
    b.records.push(record);
    b.times.push(time);
    b.wms.push(wm);
  }

  /** A batch arrives on one input edge. */
  receive(batch: Batch, inputIndex: number, port: string): MaybePromise {
    const n = batch.records.length;
    if (n === 0) return;
    if (this.barrierSeen[inputIndex]) { this.held.push(() => this.receive(batch, inputIndex, port)); return; }
    this.metrics.onInput(n, batch.arrivedAt);
    if (this.inputWms.length > 1) {
      this.buffered.push({ batch: capWatermarks(batch, this.capOf(inputIndex)), port });
      this.reconverge.mark(this);
      return;
    }
    return this.process(batch, port);
  }

  private process(batch: Batch, port: string): MaybePromise {
    this.arrivedAt = batch.arrivedAt;
    if (!this.operator) throw new Error(`${this.kind} '${this.id}' is a source: it takes no input`);
    let result: MaybePromise;
    try {
      result = this.operator.processBatch(batch, port);
    } catch (err) {
      throw nodeFailure(err, this.kind, this.id);
    }
    if (isPromise(result)) {
      return result.then(() => { this.arrivedAt = null; this.afterCall?.(); return this.flush(); },
        (err: unknown) => { throw nodeFailure(err, this.kind, this.id); });
    }
    this.arrivedAt = null;
    this.afterCall?.();
    return this.flush();
  }

  /** Hands the buffered input to the operator, ordered by record watermark. */
  drain(): MaybePromise {
    if (!this.buffered.length) return;
    const runs = orderByWatermark(this.buffered);
    this.buffered = [];
    let chain: MaybePromise = undefined;
    for (const run of runs) chain = andThen(chain, () => this.process(run.batch, run.port));
    return chain;
  }

  /** The lowest watermark among the sources that bound this input's records (Infinity: none). */
  private capOf(inputIndex: number): number {
    let cap = Infinity;
    for (const s of this.caps[inputIndex] ?? []) if (!s.idle && s.watermark < cap) cap = s.watermark;
    return cap;
  }

  /** A source hands its own batch downstream. */
  emitFromSource(batch: Batch): MaybePromise {
    this.collect(batch, 'out');
    return this.flush();
  }

  /** The end of a mailbox task that moved records: every buffered multi-input node drains. */
  drainGraph(): MaybePromise {
    return this.reconverge.drainAll();
  }

  /** A watermark arrives on one input edge (inputIndex -1: this node is a source). */
  receiveWatermark(wm: number, inputIndex: number): MaybePromise {
    if (inputIndex >= 0 && this.barrierSeen[inputIndex]) { this.held.push(() => this.receiveWatermark(wm, inputIndex)); return; }
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
    if (inputIndex >= 0 && this.barrierSeen[inputIndex]) { this.held.push(() => this.receiveIdle(idle, inputIndex)); return; }
    if (inputIndex >= 0) {
      if (this.inputIdle[inputIndex] === idle) return;
      this.inputIdle[inputIndex] = idle;
    }
    const allIdle = inputIndex < 0 ? idle : this.inputIdle.every(Boolean);
    const advanced = inputIndex >= 0 && !allIdle ? this.advanceTo(this.combinedWatermark()) : undefined;
    if (allIdle === this.idleNow) return advanced;
    this.idleNow = allIdle;
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

  /** Buffered records first, then the timers the watermark passes, their output, and only then the watermark downstream. */
  private advanceTo(wm: number): MaybePromise {
    if (wm <= this.wmNow) return;
    return andThen(this.drain(), () => {
      if (wm <= this.wmNow) return;
      this.wmNow = wm;
      this.metrics.watermark = wm;
      this.timers.advance(wm);
      const fired = this.operator?.onWatermark?.(wm);
      return andThen(andThen(fired, () => { this.afterCall?.(); return this.flush(); }), () => this.forwardWatermark(wm));
    });
  }

  /**
   * A checkpoint barrier (or the end-of-input marker) arrives on one input (-1: this node is
   * a source and the barrier starts here). Once it has come on every input the node
   * snapshots, passes the barrier on, then takes what was held behind it.
   */
  receiveBarrier(id: number, inputIndex: number): MaybePromise {
    if (inputIndex >= 0) {
      if (this.barrierSeen[inputIndex]) { this.held.push(() => this.receiveBarrier(id, inputIndex)); return; }
      this.barrierSeen[inputIndex] = true;
      for (let i = 0; i < this.inputWms.length; i++) if (!this.barrierSeen[i]) return;
    }
    // Everything before the barrier is in: buffered multi-input records go first.
    return andThen(andThen(this.drain(), () => this.onBarrier?.(this, id)), () => {
      this.barrierSeen = [];
      const results: MaybePromise[] = [];
      for (const targets of this.outputs.values()) for (const t of targets) results.push(t.node.receiveBarrier(id, t.inputIndex));
      return andThen(allDone(results), () => this.release());
    });
  }

  /** Hands on, in arrival order, what waited behind an aligned barrier (a later barrier holds the rest again). */
  private release(): MaybePromise {
    const held = this.held;
    this.held = [];
    let chain: MaybePromise = undefined;
    // Each event re-checks its own input: one that delivered a newer barrier holds it again.
    for (const event of held) chain = andThen(chain, event);
    return andThen(chain, () => this.drainGraph());
  }

  private forwardWatermark(wm: number): MaybePromise {
    const results: MaybePromise[] = [];
    for (const targets of this.outputs.values()) {
      for (const t of targets) results.push(t.node.receiveWatermark(wm, t.inputIndex));
    }
    return allDone(results);
  }

  private flush(): MaybePromise {
    this.open = null;
    if (this.emitted.length === 0) return;
    const emitted = this.emitted;
    this.emitted = [];
    const results: MaybePromise[] = [];
    for (const [port, batch] of emitted) {
      this.metrics.onOutput(batch.records.length, batch.arrivedAt);
      this.env.tap?.(this.id, port, batch.records);
      const targets = this.outputs.get(port);
      if (!targets) continue;
      for (const t of targets) results.push(t.node.receive(batch, t.inputIndex, t.port));
    }
    const done = allDone(results);
    if (!isPromise(done) || this.inputWms.length === 0) return done; // a source's wait is timed by its driver
    // Only a wait reads the clock: a batch handed on at once costs no clock read.
    this.metrics.blockedFrom(this.env.clock());
    return done.finally(() => this.metrics.unblocked(this.env.clock()));
  }

  /** Processing-time timers: one wall-clock alarm for the earliest, run as a mailbox task. */
  private armAlarm(at: number | null): void {
    if (this.alarm) clearTimeout(this.alarm);
    this.alarm = null;
    if (at === null || !this.env.runTask) return;
    const now = (this.env.wallClock ?? Date.now)();
    this.alarm = setTimeout(() => {
      this.alarm = null;
      this.env.runTask!(() => {
        this.timers.onAlarm();
        this.afterCall?.();
        return andThen(this.flush(), () => this.drainGraph());
      });
    }, Math.max(0, at - now));
    this.alarm.unref?.();
  }

  /** Stops the wall-clock alarm (the job is closing). */
  dispose(): void {
    if (this.alarm) clearTimeout(this.alarm);
    this.alarm = null;
  }
}
