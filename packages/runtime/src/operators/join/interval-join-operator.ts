import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { MinHeap } from '../window/min-heap.js';
import { JoinShape, otherSide, type Side } from './join-support.js';

interface Entry { ts: number; rec: Rec; matched: boolean }
interface KeyBuffers { left: Entry[]; right: Entry[] }

/**
 * Interval join: left and right records of one key pair when |left.ts − right.ts| ≤ within.
 * A buffered record is dropped once the watermark reaches ts + within (no on-time record
 * can match it any more); an unmatched left record of a left join leaves then, with NULLs.
 */
export class IntervalJoinOperator implements Operator {
  private readonly within: number;
  private readonly shape: JoinShape;
  private buffers!: KeyedMap<KeyBuffers>;
  private readonly expiry = new MinHeap();
  private readonly leftJoin: boolean;

  constructor(params: ParamsOf<'join'>, private readonly ctx: OperatorContext) {
    this.within = parseDuration(params.within!);
    this.shape = new JoinShape(params, ctx);
    this.leftJoin = params.type === 'left';
  }

  open(ctx: OperatorContext): void {
    this.buffers = ctx.state.map<KeyBuffers>('buffers');
    for (const [k, b] of this.buffers.entries()) for (const e of [...b.left, ...b.right]) this.expiry.push(e.ts + this.within, k);
  }

  processBatch(batch: Batch, port: string): void {
    const side = port as Side;
    const { records, times, wms } = batch;
    const opWm = this.ctx.currentWatermark();
    const out: Rec[] = [];
    const outTimes: number[] = [];
    const outWms: number[] = [];
    let late = 0;
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const wm = Math.max(wms[i], opWm);
      if (ts + this.within <= wm) { late++; continue; }
      const k = this.shape.key(side, records[i]);
      if (k === null) {
        if (side === 'left' && this.leftJoin) { out.push(this.shape.joined(records[i], null)); outTimes.push(ts); outWms.push(wm); }
        continue;
      }
      const entry: Entry = { ts, rec: records[i], matched: false };
      const buffers = this.buffers.get(k) ?? { left: [], right: [] };
      for (const o of buffers[otherSide(side)]) {
        // An entry the watermark has passed is gone in per-record terms, even if not yet cleaned up.
        if (o.ts + this.within <= wm || Math.abs(o.ts - ts) > this.within) continue;
        const [l, r] = side === 'left' ? [entry, o] : [o, entry];
        l.matched = true;
        out.push(this.shape.joined(l.rec, r.rec));
        outTimes.push(Math.max(l.ts, r.ts));
        outWms.push(wm);
      }
      buffers[side].push(entry);
      this.buffers.set(k, buffers);
      this.expiry.push(ts + this.within, k);
    }
    if (late) this.ctx.countLate(late);
    if (out.length) this.ctx.emit({ records: out, times: outTimes, wms: outWms, arrivedAt: batch.arrivedAt });
  }

  onWatermark(wm: number): void {
    const out: Rec[] = [];
    const outTimes: number[] = [];
    for (let top = this.expiry.peek(); top && top[0] <= wm; top = this.expiry.peek()) {
      const [, k] = this.expiry.pop()!;
      const b = this.buffers.get(k);
      if (!b) continue;
      const alive = (e: Entry) => e.ts + this.within > wm;
      if (this.leftJoin) {
        for (const e of b.left) if (!alive(e) && !e.matched) { out.push(this.shape.joined(e.rec, null)); outTimes.push(e.ts); }
      }
      b.left = b.left.filter(alive);
      b.right = b.right.filter(alive);
      if (!b.left.length && !b.right.length) this.buffers.delete(k);
      else this.buffers.set(k, b);
    }
    if (out.length) this.ctx.emit({ records: out, times: outTimes, wms: out.map(() => wm), arrivedAt: this.ctx.clock() });
  }
}
