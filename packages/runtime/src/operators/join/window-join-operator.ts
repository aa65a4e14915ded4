import { parseDuration, type ParamsOf } from '@eddy/shared';
import { uniformBatch, type Batch, type Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { MinHeap } from '../window/min-heap.js';
import { JoinShape, type Side } from './join-support.js';

interface Pane { end: number; left: Rec[]; right: Rec[] }
const mod = (a: number, b: number) => ((a % b) + b) % b;

/**
 * Window join: records of one key in the same tumbling window pair up when the window
 * fires (watermark reaches end − 1); a left join also emits unmatched left records then.
 * A record whose window has fired is late and dropped.
 */
export class WindowJoinOperator implements Operator {
  private readonly size: number;
  private readonly shape: JoinShape;
  private panes!: KeyedMap<Pane>;
  private readonly ends = new MinHeap();
  private readonly leftJoin: boolean;

  constructor(params: ParamsOf<'join'>, private readonly ctx: OperatorContext) {
    this.size = parseDuration(params.window!);
    this.shape = new JoinShape(params, ctx);
    this.leftJoin = params.type === 'left';
  }

  open(ctx: OperatorContext): void {
    this.panes = ctx.state.map<Pane>('panes');
    for (const [id, p] of this.panes.entries()) this.ends.push(p.end, id);
  }

  processBatch(batch: Batch, port: string): void {
    const side = port as Side;
    const { records, times, wms } = batch;
    const opWm = this.ctx.currentWatermark();
    let late = 0;
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const end = ts - mod(ts, this.size) + this.size;
      if (end - 1 <= Math.max(wms[i], opWm)) { late++; continue; }
      const k = this.shape.key(side, records[i]);
      if (k === null && !(side === 'left' && this.leftJoin)) continue;
      const id = `${end}|${k ?? '\u0001null'}`;
      let pane = this.panes.get(id);
      if (!pane) {
        pane = { end, left: [], right: [] };
        this.ends.push(end, id);
      }
      pane[side].push(records[i]);
      this.panes.set(id, pane);
    }
    if (late) this.ctx.countLate(late);
  }

  onWatermark(wm: number): void {
    const out: Rec[] = [];
    const outTimes: number[] = [];
    for (let top = this.ends.peek(); top && top[0] - 1 <= wm; top = this.ends.peek()) {
      const [, id] = this.ends.pop()!;
      const pane = this.panes.get(id);
      if (!pane) continue;
      this.panes.delete(id);
      for (const l of pane.left) {
        if (pane.right.length) for (const r of pane.right) out.push(this.shape.joined(l, r));
        else if (this.leftJoin) out.push(this.shape.joined(l, null));
        else continue;
        while (outTimes.length < out.length) outTimes.push(pane.end - 1);
      }
    }
    if (out.length) this.ctx.emit(uniformBatch(out, outTimes, wm, this.ctx.clock()));
  }
}
