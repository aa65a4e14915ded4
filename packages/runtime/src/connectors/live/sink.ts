import type { ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';

/** Keeps the newest `maxRows` rows for the dashboard. */
export class LiveSinkOperator implements Operator {
  private rows: Rec[] = [];
  private total = 0;

  constructor(private readonly params: ParamsOf<'sink.live'>, private readonly ctx: OperatorContext) {}

  processBatch(batch: Batch): void {
    const max = this.params.maxRows;
    const incoming = batch.records;
    this.total += incoming.length;
    const fresh = incoming.length >= max ? incoming.slice(incoming.length - max) : incoming;
    const kept = this.rows.slice(0, max - fresh.length);
    this.rows = [...fresh].reverse().concat(kept);
    this.ctx.publishRows(this.rows, this.total);
  }
}
