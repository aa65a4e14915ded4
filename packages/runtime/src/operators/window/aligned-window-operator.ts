import { parseDuration, type ParamsOf } from '@eddy/shared';
import { uniformBatch, type Batch, type Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { accumulate, AggregateTypeError, checkValue, initAccumulator } from './aggregates.js';
import { WindowShape } from './window-shape.js';

interface WindowState { start: number; end: number; key: unknown[]; accs: unknown[] }

const mod = (a: number, b: number) => ((a % b) + b) % b;

/**
 * Tumbling and sliding event-time windows, aligned to epoch 0, covering [start, end).
 * A window fires when the watermark reaches end - 1 + allowedLateness; a record all of
 * whose windows have fired goes to the `late` port.
 */
export class AlignedWindowOperator implements Operator {
  private readonly size: number;
  private readonly slide: number;
  private readonly lateness: number;
  private readonly shape: WindowShape;
  private windows!: KeyedMap<WindowState>;
  /** Pending window ends, ascending, and the state keys under each. */
  private ends: number[] = [];
  private readonly byEnd = new Map<number, string[]>();
  private readonly scratch: unknown[] = [];

  constructor(params: ParamsOf<'window'>, private readonly ctx: OperatorContext) {
    this.size = parseDuration(params.size!);
    this.slide = params.type === 'sliding' ? parseDuration(params.slide!) : this.size;
    this.lateness = parseDuration(params.allowedLateness);
    this.shape = new WindowShape(params, ctx);
  }

  open(ctx: OperatorContext): void {
    this.windows = ctx.state.map<WindowState>('windows');
    for (const [stateKey, w] of this.windows.entries()) this.index(w.end, stateKey);
  }

  processBatch(batch: Batch): void {
    const { records, times, wms } = batch;
    const opWm = this.ctx.currentWatermark();
    const late: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const wm = wms[i] > opWm ? wms[i] : opWm;
      const r = records[i];
      let keyString: string | undefined;
      let refused = false;
      for (let start = ts - mod(ts, this.slide); start > ts - this.size; start -= this.slide) {
        const end = start + this.size;
        if (end - 1 + this.lateness <= wm) continue; // this window has fired
        keyString ??= this.shape.key.stringOf(r);
        if (!this.add(start, end, keyString, r, ts)) { refused = true; break; }
      }
      if (keyString === undefined && !refused) late.push(i);
    }
    this.shape.emitLate(batch, late);
  }

  onWatermark(wm: number): void {
    const fired: Rec[] = [];
    const firedTimes: number[] = [];
    while (this.ends.length && this.ends[0] - 1 + this.lateness <= wm) {
      const end = this.ends.shift()!;
      for (const stateKey of this.byEnd.get(end)!) {
        const w = this.windows.get(stateKey);
        if (!w) continue;
        this.windows.delete(stateKey);
        fired.push(this.shape.row(w.key, w.start, w.end, w.accs));
        firedTimes.push(w.end - 1);
      }
      this.byEnd.delete(end);
    }
    if (fired.length) this.ctx.emit(uniformBatch(fired, firedTimes, wm, this.ctx.clock()));
  }

  /** Adds a record to one window; false when an aggregate refused its value (dead letter). */
  private add(start: number, end: number, keyString: string, r: Rec, ts: number): boolean {
    const stateKey = `${end}|${keyString}`;
    let w = this.windows.get(stateKey);
    const fresh = !w;
    const { aggs } = this.shape;
    if (!w) w = { start, end, key: this.shape.key.values(r), accs: aggs.map((a) => initAccumulator(a.fn)) };
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
    if (fresh) {
      this.windows.set(stateKey, w);
      this.index(end, stateKey);
    }
    return true;
  }

  private index(end: number, stateKey: string): void {
    let keys = this.byEnd.get(end);
    if (!keys) {
      this.byEnd.set(end, (keys = []));
      // Ends mostly arrive in order: search from the back.
      let i = this.ends.length;
      while (i > 0 && this.ends[i - 1] > end) i--;
      this.ends.splice(i, 0, end);
    }
    keys.push(stateKey);
  }

}
