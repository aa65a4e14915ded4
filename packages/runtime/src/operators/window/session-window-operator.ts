import { parseDuration, type ParamsOf } from '@eddy/shared';
import { uniformBatch, type Batch, type Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { accumulate, AggregateTypeError, checkValue, initAccumulator, mergeAccumulators } from './aggregates.js';
import { WindowShape } from './window-shape.js';
import { MinHeap } from './min-heap.js';

/** `timerAt`: the end for which a timer is in the heap (extending a session does not add one per record). */
interface Session { start: number; end: number; accs: unknown[]; timerAt: number }
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
  private readonly scratch: unknown[] = [];

  constructor(params: ParamsOf<'window'>, private readonly ctx: OperatorContext) {
    this.gap = parseDuration(params.gap!);
    this.lateness = parseDuration(params.allowedLateness);
    this.shape = new WindowShape(params, ctx);
  }

  open(ctx: OperatorContext): void {
    this.sessions = ctx.state.map<KeySessions>('sessions');
    for (const [k, s] of this.sessions.entries()) {
      for (const o of s.open) {
        o.timerAt = o.end;
        this.timers.push(o.end, k);
      }
      for (const f of s.fired) this.timers.push(f[1] + this.gap, k);
    }
  }

  processBatch(batch: Batch): void {
    const { records, times, wms } = batch;
    const opWm = this.ctx.currentWatermark();
    const { gap, lateness } = this;
    const late: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const wm = wms[i] > opWm ? wms[i] : opWm;
      const r = records[i];
      const k = this.shape.key.stringOf(r);
      const ks = this.sessions.get(k);
      const start = ts;
      const end = ts + gap;
      // Late: it touches a fired session, or an open one that is due, or would open one already due.
      let isLate = false;
      let touching = 0;
      let only: Session | undefined;
      if (ks) {
        for (const f of ks.fired) if (f[0] <= end && start <= f[1]) { isLate = true; break; }
        if (!isLate) {
          for (const o of ks.open) {
            if (o.start <= end && start <= o.end) {
              if (o.end - 1 + lateness <= wm) { isLate = true; break; }
              touching++;
              only = o;
            }
          }
        }
      }
      if (isLate || (touching === 0 && end - 1 + lateness <= wm)) {
        late.push(i);
        continue;
      }
      if (touching === 1) {
        // The common case: the record extends one open session, in place, with no allocation.
        this.extend(only!, r, start, end, ts);
        continue;
      }
      this.openOrMerge(k, ks, r, start, end, ts);
    }
    this.shape.emitLate(batch, late);
  }

  /** Adds a record to the one session it touches; false when an aggregate refused its value (dead letter). */
  private extend(o: Session, r: Rec, start: number, end: number, ts: number): boolean {
    const { aggs } = this.shape;
    const values = this.scratch;
    try {
      for (let j = 0; j < aggs.length; j++) checkValue(aggs[j].fn, o.accs[j], (values[j] = aggs[j].read(r)));
    } catch (err) {
      if (!(err instanceof AggregateTypeError)) throw err;
      this.ctx.deadLetter(r, `window: ${err.message}`);
      return false;
    }
    for (let j = 0; j < aggs.length; j++) o.accs[j] = accumulate(aggs[j].fn, o.accs[j], values[j], ts);
    if (start < o.start) o.start = start;
    if (end > o.end) o.end = end; // its timer fires at the old end and is pushed on (see onWatermark)
    return true;
  }

  /** A new session for the record, merged with every open session it touches. */
  private openOrMerge(k: string, found: KeySessions | undefined, r: Rec, start: number, end: number, ts: number): void {
    const { aggs } = this.shape;
    const accs: unknown[] = new Array(aggs.length);
    try {
      for (let j = 0; j < aggs.length; j++) accs[j] = accumulate(aggs[j].fn, initAccumulator(aggs[j].fn), aggs[j].read(r), ts);
    } catch (err) {
      if (!(err instanceof AggregateTypeError)) throw err;
      this.ctx.deadLetter(r, `window: ${err.message}`);
      return;
    }
    const ks = found ?? { key: this.shape.key.values(r), open: [], fired: [] };
    const joined = ks.open.length ? ks.open.filter((o) => o.start <= end && start <= o.end) : [];
    let merged: Session = { start, end, accs, timerAt: end };
    for (const o of joined) {
      merged = {
        start: Math.min(merged.start, o.start),
        end: Math.max(merged.end, o.end),
        accs: merged.accs.map((acc, j) => mergeAccumulators(this.shape.aggs[j].fn, o.accs[j], acc)),
        timerAt: 0,
      };
    }
    merged.timerAt = merged.end;
    ks.open = joined.length ? ks.open.filter((o) => !joined.includes(o)) : ks.open;
    ks.open.push(merged);
    this.sessions.set(k, ks);
    this.timers.push(merged.end, k);
  }

  onWatermark(wm: number): void {
    const rows: Rec[] = [];
    const rowTimes: number[] = [];
    const { gap, lateness } = this;
    const forgetBefore = wm - gap - lateness;
    for (let top = this.timers.peek(); top && top[0] - 1 + lateness <= wm; top = this.timers.peek()) {
      const [at, k] = this.timers.pop()!;
      const ks = this.sessions.get(k);
      if (!ks) continue;
      // Fire the due sessions (in end order), keep the others; no allocation when nothing is due.
      let due = 0;
      for (const o of ks.open) if (o.end - 1 + lateness <= wm) due++;
      if (due) {
        const keep: Session[] = [];
        const fire: Session[] = [];
        for (const o of ks.open) (o.end - 1 + lateness <= wm ? fire : keep).push(o);
        if (fire.length > 1) fire.sort((a, b) => a.end - b.end);
        for (const o of fire) {
          rows.push(this.shape.row(ks.key, o.start, o.end, o.accs));
          rowTimes.push(o.end - 1);
          ks.fired.push([o.start, o.end]);
          this.timers.push(o.end + gap + lateness, k);
        }
        ks.open = keep;
      }
      // Sessions extended past the timer that just fired get one at their new end.
      for (const o of ks.open) {
        if (o.timerAt <= at) {
          o.timerAt = o.end;
          this.timers.push(o.end, k);
        }
      }
      let stale = 0;
      for (const f of ks.fired) if (f[1] <= forgetBefore) stale++;
      if (stale) ks.fired = stale === ks.fired.length ? [] : ks.fired.filter(([, e]) => e > forgetBefore);
      if (!ks.open.length && !ks.fired.length) this.sessions.delete(k);
      else if (due || stale) this.sessions.set(k, ks);
    }
    if (rows.length) this.ctx.emit(uniformBatch(rows, rowTimes, wm, this.ctx.clock()));
  }
}
