import type { Batch } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';

/** Passes every input on; the executor already takes the minimum watermark over the inputs. */
export class UnionOperator implements Operator {
  constructor(private readonly ctx: OperatorContext) {}

  processBatch(batch: Batch): void {
    this.ctx.emit(batch);
  }
}
