import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import type { FiredTimer } from '../../core/timer-service.js';
import { EndKeys } from '../../core/end-keys.js';
import { JoinShape, type Side } from './join-support.js';

interface Pane { end: number; left: Rec[]; right: Rec[] }
const mod = (a: number, b: number) => ((a % b) + b) % b;

/**
 * Window join: records of one key in the same tumbling window pair up when the window
 * fires (an event-time timer at end − 1); a left join also emits unmatched left records then.
 * A record whose window has fired is late and dropped.
 */
export class WindowJoinOperator implements Operator {
  private readonly size: number;
  private readonly shape: JoinShape;
  private panes!: KeyedMap<Pane>;
  /** The state key of each pane in state (core/end-keys.ts). */
  private readonly paneKeys = new EndKeys();
  private readonly leftJoin: boolean;

  constructor(params: ParamsOf<'join'>, private readonly ctx: OperatorContext) {
    this.size = parseDuration(params.window!);
    this.shape = new JoinShape(params, ctx);
    this.leftJoin = params.type === 'left';
  }

  open(): void {
    this.panes = this.ctx.state.map<Pane>('panes');
  }

  processBatch(batch: Batch, port: string): void {
    const side = port as Side;
    const { records, times, wms } = batch;
    const timers = this.ctx.timers;
    let late = 0;
    for (let i = 0; i < records.length; i++) {
      const ts = times[i];
      const end = ts - mod(ts, this.size) + this.size;
      if (end - 1 <= timers.atRecord(wms[i])) { late++; continue; }
      const k = this.shape.key(side, records[i]);
      if (k === null && !(side === 'left' && this.leftJoin)) continue;
      const keyString = k ?? '\u0001null';
      const kept = this.paneKeys.get(end, keyString);
      const id = kept ?? EndKeys.make(end, keyString);
      let pane = this.panes.get(id);
      if (!pane) {
        pane = { end, left: [], right: [] };
        timers.registerEventTimer(end - 1, id);
      }
      if (kept === undefined) this.paneKeys.keep(end, keyString, id);
      pane[side].push(records[i]);
      this.panes.set(id, pane);
    }
    if (late) this.ctx.countLate(late);
  }

  onTimer(t: FiredTimer): void {
    const pane = this.panes.get(t.key);
    if (!pane) return;
    this.panes.delete(t.key);
    this.paneKeys.forget(pane.end, t.key);
    const time = pane.end - 1;
    for (const l of pane.left) {
      if (pane.right.length) for (const r of pane.right) this.ctx.output(this.shape.joined(l, r), time, t.outputWatermark);
      else if (this.leftJoin) this.ctx.output(this.shape.joined(l, null), time, t.outputWatermark);
    }
  }
}
