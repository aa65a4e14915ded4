import { compileExpression, ExpressionRuntimeError, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';

/** Keeps records whose condition is exactly TRUE (SQL: NULL drops the record). */
export class FilterOperator implements Operator {
  private readonly where: (r: Record<string, unknown>) => unknown;

  constructor(params: ParamsOf<'filter'>, private readonly ctx: OperatorContext) {
    this.where = compileExpression(params.where, ctx.inputSchemas.in);
  }

  processBatch(batch: Batch): void {
    const records = batch.records;
    const where = this.where;
    const keep: number[] = [];
    for (let i = 0; i < records.length; i++) {
      try {
        if (where(records[i]) === true) keep.push(i);
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(records[i], `filter: ${err.message}`);
      }
    }
    if (keep.length) this.ctx.emit(selectBatch(batch, keep));
  }
}
