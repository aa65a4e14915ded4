import { compileExpression, ExpressionRuntimeError, parseDuration, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';
import { keyString } from './keys.js';
import type { KeyedMap } from '../state/keyed-state.js';
import { MinHeap } from './window/min-heap.js';


/**
 * Keeps the first record of a key and drops repeats less than `within` later (event time).
 * A key's entry counts as gone once the watermark passes first + within — checked per
 * record with its own watermark, so both modes drop the same records.
 */
export class DedupeOperator implements Operator {
  private readonly key: (r: Rec) => unknown;
  private readonly within: number;
  private seen!: KeyedMap<number>;
  private readonly expiry = new MinHeap();

  constructor(params: ParamsOf<'dedupe'>, private readonly ctx: OperatorContext) {
    this.key = compileExpression(params.key, ctx.inputSchemas.in);
    this.within = parseDuration(params.within);
  }

  open(ctx: OperatorContext): void {
    this.seen = ctx.state.map<number>('seen');
    for (const [k, ts] of this.seen.entries()) this.expiry.push(ts + this.within, k);
  }

  processBatch(batch: Batch): void {
    const { records, times, wms } = batch;
    const opWm = this.ctx.currentWatermark();
    const keep: number[] = [];
    for (let i = 0; i < records.length; i++) {
      let k: string;
      try {
        k = keyString(this.key(records[i]));
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(records[i], `dedupe: ${err.message}`);
        continue;
      }
      const wm = Math.max(wms[i], opWm);
      const first = this.seen.get(k);
      const ts = times[i];
      if (first !== undefined && first + this.within > wm && ts >= first && ts < first + this.within) continue;
      if (first === undefined || first + this.within <= wm || ts >= first + this.within) {
        this.seen.set(k, ts);
        this.expiry.push(ts + this.within, k);
      }
      keep.push(i);
    }
    if (keep.length) this.ctx.emit(selectBatch(batch, keep));
  }

  onWatermark(wm: number): void {
    for (let top = this.expiry.peek(); top && top[0] <= wm; top = this.expiry.peek()) {
      const [, k] = this.expiry.pop()!;
      const first = this.seen.get(k);
      if (first !== undefined && first + this.within <= wm) this.seen.delete(k);
    }
  }
}
