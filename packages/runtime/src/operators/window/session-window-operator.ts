import { parseDuration, type ParamsOf } from '@eddy/shared';
import { uniformBatch, type Batch, type Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { accumulate, AggregateTypeError, initAccumulator, mergeAccumulators } from './aggregates.js';
import { WindowShape } from './window-shape.js';
import { MinHeap } from './min-heap.js';

interface Session { start: number; end: number; accs: unknown[] }
interface KeySessions { key: unknown[]; open: Session[]; fired: [number, number][] }

/**
 * Session windows: a record opens [ts, ts + gap); sessions of a key that overlap or touch
 * merge (as Flink's TimeWindow.intersects). A session fires when the watermark reaches
 * end - 1 + allowedLateness. A record is late when the session it would join has fired
 * (or, joining none, when its own session would already have fired). Fired sessions are
 * remembered until no on-time record could touch them any more.
 */
export class SessionWindowOperator implements Operator {
  private readonly gap: number;
  private readonly lateness: number;
  private readonly shape: WindowShape;
  private sessions!: KeyedMap<KeySessions>;
  /** [end, key] of open sessions (stale entries skipped) and of fired ones to forget. */
  private readonly timers = new MinHeap();

  constructor(params: ParamsOf<'window'>, private readonly ctx: OperatorContext) {
    this.gap = parseDuration(params.gap!);
    this.lateness = parseDuration(params.allowedLateness);
    this.shape = new WindowShape(params, ctx);
  }

  open(ctx: OperatorContext): void {
    this.sessions = ctx.state.map<KeySessions>('sessions');
    for (const [k, s] of this.sessions.entries()) {
      for (const o of s.open) this.timers.push(o.end, k);
      for (const f of s.fired) this.timers.push(f[1] + this.gap, k);
    }
  }

  processBatch(batch: Batch): void {
    const { records, times, wms } = batch;
    const opWm = this.ctx.currentWatermark();
    const late: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const wm = wms[i] > opWm ? wms[i] : opWm;
      const r = records[i];
      const k = this.shape.key.stringOf(r);
      let ks = this.sessions.get(k);
      const start = ts;
      const end = ts + this.gap;
      const fired = (e: number) => e - 1 + this.lateness <= wm;
      const touches = (s: number, e: number) => s <= end && start <= e;
      if (ks?.fired.some(([s, e]) => touches(s, e)) || ks?.open.some((o) => touches(o.start, o.end) && fired(o.end))) {
        late.push(i);
        continue;
      }
      const joined = ks?.open.filter((o) => touches(o.start, o.end)) ?? [];
      if (!joined.length && fired(end)) {
        late.push(i);
        continue;
      }
      let accs: unknown[];
      try {
        accs = this.shape.aggs.map((a) => accumulate(a.fn, initAccumulator(a.fn), a.read(r), ts));
      } catch (err) {
        if (!(err instanceof AggregateTypeError)) throw err;
        this.ctx.deadLetter(r, `window: ${err.message}`);
        continue;
      }
      let merged: Session = { start, end, accs };
      for (const o of joined) {
        merged = {
          start: Math.min(merged.start, o.start),
          end: Math.max(merged.end, o.end),
          accs: merged.accs.map((acc, j) => mergeAccumulators(this.shape.aggs[j].fn, o.accs[j], acc)),
        };
      }
      if (!ks) ks = { key: this.shape.key.values(r), open: [], fired: [] };
      ks.open = ks.open.filter((o) => !joined.includes(o));
      ks.open.push(merged);
      this.sessions.set(k, ks);
      this.timers.push(merged.end, k);
    }
    this.shape.emitLate(batch, late);
  }

  onWatermark(wm: number): void {
    const rows: Rec[] = [];
    const rowTimes: number[] = [];
    const forgetBefore = wm - this.gap - this.lateness;
    for (let top = this.timers.peek(); top && top[0] - 1 + this.lateness <= wm; top = this.timers.peek()) {
      const [, k] = this.timers.pop()!;
      const ks = this.sessions.get(k);
      if (!ks) continue;
      const due = ks.open.filter((o) => o.end - 1 + this.lateness <= wm);
      if (due.length) {
        ks.open = ks.open.filter((o) => !due.includes(o));
        for (const o of due.sort((a, b) => a.end - b.end)) {
          rows.push(this.shape.row(ks.key, o.start, o.end, o.accs));
          rowTimes.push(o.end - 1);
          ks.fired.push([o.start, o.end]);
          this.timers.push(o.end + this.gap + this.lateness, k);
        }
      }
      ks.fired = ks.fired.filter(([, e]) => e > forgetBefore);
      if (!ks.open.length && !ks.fired.length) this.sessions.delete(k);
      else this.sessions.set(k, ks);
    }
    if (rows.length) this.ctx.emit(uniformBatch(rows, rowTimes, wm, this.ctx.clock()));
  }

}
