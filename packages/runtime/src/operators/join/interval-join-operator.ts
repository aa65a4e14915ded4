import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import type { FiredTimer } from '../../core/timer-service.js';
import { JoinShape, otherSide, type Side } from './join-support.js';

interface Entry { ts: number; rec: Rec; matched: boolean }
interface KeyBuffers { left: Entry[]; right: Entry[] }

/**
 * Interval join: left and right records of one key pair when |left.ts − right.ts| ≤ within.
 * A record is late (dropped, counted) when ts + within ≤ watermark. A buffered record stays
 * until no on-time partner can match it any more — an on-time partner has ts > wm − within,
 * a match needs ts ≤ entry.ts + within — so it expires when the watermark reaches
 * ts + 2 × within (an event-time timer); an unmatched left record of a left join leaves then,
 * with NULLs. Output carries max(left.ts, right.ts) as its time.
 */
export class IntervalJoinOperator implements Operator {
  private readonly within: number;
  private readonly shape: JoinShape;
  private buffers!: KeyedMap<KeyBuffers>;
  private readonly leftJoin: boolean;

  constructor(params: ParamsOf<'join'>, private readonly ctx: OperatorContext) {
    this.within = parseDuration(params.within!);
    this.shape = new JoinShape(params, ctx);
    this.leftJoin = params.type === 'left';
  }

  open(): void {
    this.buffers = this.ctx.state.map<KeyBuffers>('buffers');
  }

  processBatch(batch: Batch, port: string): void {
    const side = port as Side;
    const { records, times, wms } = batch;
    const timers = this.ctx.timers;
    let late = 0;
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const wm = timers.atRecord(wms[i]);
      if (ts + this.within <= wm) { late++; continue; }
      const k = this.shape.key(side, records[i]);
      if (k === null) {
        if (side === 'left' && this.leftJoin) this.ctx.output(this.shape.joined(records[i], null), ts, wm);
        continue;
      }
      const entry: Entry = { ts, rec: records[i], matched: false };
      const buffers = this.buffers.get(k) ?? { left: [], right: [] };
      for (const o of buffers[otherSide(side)]) {
        if (Math.abs(o.ts - ts) > this.within) continue;
        const [l, r] = side === 'left' ? [entry, o] : [o, entry];
        l.matched = true;
        this.ctx.output(this.shape.joined(l.rec, r.rec), Math.max(l.ts, r.ts), wm);
      }
      buffers[side].push(entry);
      this.buffers.set(k, buffers);
      timers.registerEventTimer(this.expiry(ts), k);
    }
    if (late) this.ctx.countLate(late);
  }

  private expiry(ts: number): number {
    return ts + 2 * this.within;
  }

  onTimer(t: FiredTimer): void {
    const b = this.buffers.get(t.key);
    if (!b) return;
    const alive = (e: Entry) => this.expiry(e.ts) > t.time;
    if (this.leftJoin) {
      for (const e of b.left) if (!alive(e) && !e.matched) this.ctx.output(this.shape.joined(e.rec, null), e.ts, t.outputWatermark);
    }
    b.left = b.left.filter(alive);
    b.right = b.right.filter(alive);
    if (!b.left.length && !b.right.length) this.buffers.delete(t.key);
    else this.buffers.set(t.key, b);
  }
}
