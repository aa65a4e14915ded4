import type { ParamsOf } from '@eddy/shared';
import type { Batch } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';

/** Writes each record as a JSON line to the job's log. */
export class LogSinkOperator implements Operator {
  constructor(private readonly params: ParamsOf<'sink.log'>, private readonly ctx: OperatorContext) {}

  processBatch(batch: Batch): void {
    const prefix = this.params.prefix;
    for (const r of batch.records) this.ctx.log(prefix + JSON.stringify(r));
  }
}
