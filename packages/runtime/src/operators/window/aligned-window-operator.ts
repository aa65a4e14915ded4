import { keyFieldName, parseDuration, type ParamsOf } from '@eddy/shared';
import { selectBatch, uniformBatch, type Batch, type Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import {
  accumulate, AggregateTypeError, initAccumulator, makeAggregateSpecs, result, type AggregateSpec,
} from './aggregates.js';
import { makeKeyExtractor } from './key.js';

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
  private readonly aggs: AggregateSpec[];
  private readonly key: ReturnType<typeof makeKeyExtractor>;
  private readonly keyNames: string[];
  private windows!: KeyedMap<WindowState>;
  /** Pending window ends, ascending, and the state keys under each. */
  private ends: number[] = [];
  private readonly byEnd = new Map<number, string[]>();

  constructor(params: ParamsOf<'window'>, private readonly ctx: OperatorContext) {
    this.size = parseDuration(params.size!);
    this.slide = params.type === 'sliding' ? parseDuration(params.slide!) : this.size;
    this.lateness = parseDuration(params.allowedLateness);
    this.aggs = makeAggregateSpecs(params.aggregates);
    this.key = makeKeyExtractor(params.keyBy);
    this.keyNames = params.keyBy.map(keyFieldName);
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
      let accepted = false;
      let keyValues: unknown[] | undefined;
      let keyString = '';
      for (let start = ts - mod(ts, this.slide); start > ts - this.size; start -= this.slide) {
        const end = start + this.size;
        if (end - 1 + this.lateness <= wm) continue; // this window has fired
        if (!keyValues) {
          keyValues = this.key.values(r);
          keyString = this.key.toString(keyValues);
        }
        if (!this.add(start, end, keyValues, keyString, r, ts)) break;
        accepted = true;
      }
      if (!accepted && keyValues === undefined) late.push(i);
    }
    if (late.length) {
      this.ctx.countLate(late.length);
      this.ctx.emit(selectBatch(batch, late), 'late');
    }
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
        fired.push(this.row(w));
        firedTimes.push(w.end - 1);
      }
      this.byEnd.delete(end);
    }
    if (fired.length) this.ctx.emit(uniformBatch(fired, firedTimes, wm, this.ctx.clock()));
  }

  /** Adds a record to one window; false when an aggregate refused its value (dead letter). */
  private add(start: number, end: number, key: unknown[], keyString: string, r: Rec, ts: number): boolean {
    const stateKey = `${end}|${keyString}`;
    let w = this.windows.get(stateKey);
    const fresh = !w;
    if (!w) w = { start, end, key, accs: this.aggs.map((a) => initAccumulator(a.fn)) };
    try {
      const next = w.accs.map((acc, j) => accumulate(this.aggs[j].fn, acc, this.aggs[j].read(r), ts));
      w.accs = next;
    } catch (err) {
      if (!(err instanceof AggregateTypeError)) throw err;
      this.ctx.deadLetter(r, `window: ${err.message}`);
      return false;
    }
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

  private row(w: WindowState): Rec {
    const row: Rec = { window_start: w.start, window_end: w.end };
    for (let k = 0; k < this.keyNames.length; k++) row[this.keyNames[k]] = w.key[k];
    for (let j = 0; j < this.aggs.length; j++) row[this.aggs[j].name] = result(this.aggs[j].fn, w.accs[j]);
    return row;
  }
}
