import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { FiredTimer, TimerService } from '../../core/timer-service.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { EndKeys } from '../../core/end-keys.js';
import { accumulate, AggregateTypeError, checkMerge, checkValue, initAccumulator, mergeAccumulators } from './aggregates.js';
import { PARTIAL, type PartialAggregate, type PartialMark } from './pre-aggregate.js';
import { lastWindowStart, WindowShape } from './window-shape.js';

/** `dirty`: changed since its last row (emit: updates). */
interface WindowState { start: number; end: number; key: unknown[]; accs: unknown[]; dirty?: boolean }

/**
 * Timer namespaces. emit updates: per window, the firing at its end and the clean-up once
 * lateness has passed. emit final: one clean-up timer per window end (its key the end),
 * for all the windows of that end. (`clean` timers in a checkpoint from before are still honoured.)
 */
const FIRE = 'fire';
const CLEAN = 'clean';
const END = 'end';

/** What the operator keeps outside keyed state: the windows of each pending end, in the order they opened. */
interface AlignedSnapshot { ends: [number, string[]][] }

/**
 * Tumbling and sliding event-time windows, aligned to epoch 0, covering [start, end), on
 * the node's timer service: emit final registers one timer per window end and keeps the
 * windows of each end in the order they opened (the order per-window timers would fire
 * them, without a timer per key and window); emit updates one per key and window, as Flink's WindowOperator.
 * emit final: one row at end − 1 + allowedLateness. emit updates: a row at end − 1 and
 * another for each allowed late record, the state cleared at end − 1 + allowedLateness.
 * A record all of whose windows are cleaned up goes to the `late` port.
 */
export class AlignedWindowOperator implements Operator {
  private readonly size: number;
  private readonly slide: number;
  private readonly lateness: number;
  private readonly updates: boolean;
  private readonly shape: WindowShape;
  private windows!: KeyedMap<WindowState>;
  private timers!: TimerService;
  /** emit final: the state keys of each pending window end, in opening (= firing) order; checkpointed. */
  private readonly byEnd = new Map<number, string[]>();
  /** The state key of each window in state (core/end-keys.ts). */
  private readonly stateKeys = new EndKeys();
  private readonly scratch: unknown[] = [];

  constructor(params: ParamsOf<'window'>, private readonly ctx: OperatorContext) {
    this.size = parseDuration(params.size!);
    this.slide = params.type === 'sliding' ? parseDuration(params.slide!) : this.size;
    this.lateness = parseDuration(params.allowedLateness);
    // With no lateness the two policies are the same: one row at end − 1.
    this.updates = params.emit === 'updates' && this.lateness > 0;
    this.shape = new WindowShape(params, ctx);
  }

  open(): void {
    const { ctx } = this;
    this.windows = ctx.state.map<WindowState>('windows');
    this.timers = ctx.timers;
    for (const [end, keys] of (ctx.restored as AlignedSnapshot | undefined)?.ends ?? []) this.byEnd.set(end, keys);
  }

  onCheckpoint(): AlignedSnapshot | undefined {
    return this.byEnd.size ? { ends: [...this.byEnd] } : undefined;
  }

  processBatch(batch: Batch): void {
    const { times, wms } = batch;
    let records = batch.records;
    const timers = this.timers;
    const partials = this.ctx.partialInput === true;
    const late: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const wm = timers.atRecord(wms[i]);
      let r = records[i];
      if (partials && PARTIAL in r) {
        const mark = r[PARTIAL] as PartialMark;
        if (!('raw' in mark)) { this.addPartial(mark, wm); continue; }
        // A record that carried the marker itself: itself again, also for the late port.
        if (records === batch.records) batch = { ...batch, records: (records = records.slice()) };
        r = records[i] = mark.raw;
      }
      let keyString: string | undefined;
      let refused = false;
      for (let start = lastWindowStart(ts, this.slide); start > ts - this.size; start -= this.slide) {
        const end = start + this.size;
        if (end - 1 + this.lateness <= wm) continue; // cleaned up: too late for this window
        keyString ??= this.shape.key.stringOf(r);
        if (!this.add(start, end, keyString, r, ts, wm)) { refused = true; break; }
      }
      if (keyString === undefined && !refused) late.push(i);
    }
    this.shape.emitLate(batch, late);
  }

  onTimer(t: FiredTimer): void {
    if (t.namespace === END) {
      const end = Number(t.key);
      for (const stateKey of this.byEnd.get(end) ?? []) {
        const w = this.windows.get(stateKey);
        if (!w) continue;
        this.fire(w, t.outputWatermark);
        this.windows.delete(stateKey);
      }
      this.byEnd.delete(end);
      this.stateKeys.forgetEnd(end);
      return;
    }
    const w = this.windows.get(t.key);
    if (!w) return;
    if (t.namespace === FIRE) {
      if (w.dirty) this.fire(w, t.outputWatermark);
      return;
    }
    if (!this.updates || w.dirty) this.fire(w, t.outputWatermark);
    this.windows.delete(t.key);
    this.stateKeys.forget(w.end, t.key);
  }

  /** A row for the window, carrying `wm`: the watermark downstream has when it leaves. */
  private fire(w: WindowState, wm: number): void {
    if (w.dirty) w.dirty = false; // not written otherwise: adding a property to every window changes its shape (slow)
    this.ctx.output(this.shape.row(w.key, w.start, w.end, w.accs), w.end - 1, wm);
  }

  /** Adds a record to one window; false when an aggregate refused its value (dead letter). */
  private add(start: number, end: number, keyString: string, r: Rec, ts: number, wm: number): boolean {
    const kept = this.stateKeys.get(end, keyString);
    const stateKey = kept ?? EndKeys.make(end, keyString);
    let w = this.windows.get(stateKey);
    const fresh = !w;
    const { aggs } = this.shape;
    if (!w) w = this.newWindow(start, end, this.shape.key.values(r));
    // Check every value first, so a refused one leaves the window untouched; no allocation per record.
    const values = this.scratch;
    try {
      for (let j = 0; j < aggs.length; j++) checkValue(aggs[j].fn, w.accs[j], (values[j] = aggs[j].read(r)));
    } catch (err) {
      if (!(err instanceof AggregateTypeError)) throw err;
      this.ctx.deadLetter(r, `window: ${err.message}`);
      return false;
    }
    for (let j = 0; j < aggs.length; j++) w.accs[j] = accumulate(aggs[j].fn, w.accs[j], values[j], ts);
    // A new window's key, or a window restored from a checkpoint at its first record.
    if (kept === undefined) this.stateKeys.keep(end, keyString, stateKey);
    this.added(w, fresh, stateKey, wm);
    return true;
  }

  /**
   * A partial aggregate from before the exchange (pre-aggregate.ts), where the last of its
   * records stood: those records were not late for this window at their watermarks, so it is open.
   */
  private addPartial(p: PartialAggregate, wm: number): void {
    this.ctx.countInput(p.n - 1);
    const end = p.start + this.size;
    const keyString = this.shape.key.stringOfValues(p.key);
    const kept = this.stateKeys.get(end, keyString);
    const stateKey = kept ?? EndKeys.make(end, keyString);
    const { aggs } = this.shape;
    if (end - 1 + this.lateness <= wm) {
      this.ctx.deadLetter(p, 'window: a partial aggregate reached a window already cleaned up (an engine fault: please report it)');
      return;
    }
    let w = this.windows.get(stateKey);
    const fresh = !w;
    if (!w) w = this.newWindow(p.start, end, p.key);
    try {
      for (let j = 0; j < aggs.length; j++) checkMerge(aggs[j].fn, w.accs[j], p.accs[j]);
    } catch (err) {
      if (!(err instanceof AggregateTypeError)) throw err;
      this.ctx.deadLetter(p, `window: ${err.message} (a partial aggregate of records combined before the exchange)`);
      return;
    }
    for (let j = 0; j < aggs.length; j++) w.accs[j] = mergeAccumulators(aggs[j].fn, w.accs[j], p.accs[j]);
    if (kept === undefined) this.stateKeys.keep(end, keyString, stateKey);
    this.added(w, fresh, stateKey, wm);
  }

  private newWindow(start: number, end: number, key: unknown[]): WindowState {
    return { start, end, key, accs: this.shape.aggs.map((a) => initAccumulator(a.fn)) };
  }

  /** After a window took a record or partial: emit updates marks (and maybe fires) it; a new window is kept and timed. */
  private added(w: WindowState, fresh: boolean, stateKey: string, wm: number): void {
    const { end } = w;
    if (this.updates) {
      w.dirty = true;
      // Past its end already: an allowed late record fires the window at once, with the update.
      if (end - 1 <= wm) this.fire(w, wm);
      else if (fresh) this.timers.registerEventTimer(end - 1, stateKey, FIRE);
    }
    if (fresh) {
      this.windows.set(stateKey, w);
      if (this.updates) this.timers.registerEventTimer(end - 1 + this.lateness, stateKey, CLEAN);
      else this.opened(end, stateKey);
    }
  }

  /** emit final: a window of `end` opened; the end's first registers the end's timer. */
  private opened(end: number, stateKey: string): void {
    const keys = this.byEnd.get(end);
    if (keys) keys.push(stateKey);
    else {
      this.byEnd.set(end, [stateKey]);
      this.timers.registerEventTimer(end - 1 + this.lateness, String(end), END);
    }
  }
}
