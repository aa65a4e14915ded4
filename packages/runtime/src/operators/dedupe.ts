import { compileExpression, ExpressionRuntimeError, parseDuration, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';
import { keyString } from '../core/keys.js';
import type { KeyedMap } from '../state/keyed-state.js';
import type { FiredTimer } from '../core/timer-service.js';


/**
 * Keeps the first record of a key and drops repeats less than `within` later (event time).
 * A key's entry is gone once the watermark reaches first + within (an event-time timer,
 * fired before each record by its own watermark, so both modes drop the same records).
 */
export class DedupeOperator implements Operator {
  private readonly key: (r: Rec) => unknown;
  private readonly within: number;
  private seen!: KeyedMap<number>;

  constructor(params: ParamsOf<'dedupe'>, private readonly ctx: OperatorContext) {
    this.key = compileExpression(params.key, ctx.inputSchemas.in);
    this.within = parseDuration(params.within);
  }

  open(): void {
    this.seen = this.ctx.state.map<number>('seen');
  }

  processBatch(batch: Batch): void {
    const { records, times, wms } = batch;
    const timers = this.ctx.timers;
    const keep: number[] = [];
    for (let i = 0; i < records.length; i++) {
      timers.atRecord(wms[i]);
      let k: string;
      try {
        k = keyString(this.key(records[i]));
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(records[i], `dedupe: ${err.message}`);
        continue;
      }
      const first = this.seen.get(k);
      const ts = times[i];
      if (first !== undefined && ts >= first && ts < first + this.within) continue;
      if (first === undefined || ts >= first + this.within) {
        this.seen.set(k, ts);
        timers.registerEventTimer(ts + this.within, k);
      }
      keep.push(i);
    }
    if (keep.length) this.ctx.emit(selectBatch(batch, keep));
  }

  onTimer(t: FiredTimer): void {
    const first = this.seen.get(t.key);
    if (first !== undefined && first + this.within <= t.time) this.seen.delete(t.key);
  }
}
