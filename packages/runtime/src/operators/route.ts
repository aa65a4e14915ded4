import { compileExpression, ExpressionRuntimeError, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';

/** Sends each record to the first (or every) route whose condition is TRUE, else to `default`. */
export class RouteOperator implements Operator {
  private readonly ports: string[];
  private readonly conditions: ((r: Rec) => unknown)[];
  private readonly all: boolean;

  constructor(params: ParamsOf<'route'>, private readonly ctx: OperatorContext) {
    this.ports = params.routes.map((r) => r.port);
    this.conditions = params.routes.map((r) => compileExpression(r.where, ctx.inputSchemas.in));
    this.all = params.match === 'all';
  }

  processBatch(batch: Batch): void {
    const picked: number[][] = this.ports.map(() => []);
    const fallback: number[] = [];
    const { records } = batch;
    for (let i = 0; i < records.length; i++) {
      let matched = false;
      try {
        for (let p = 0; p < this.conditions.length; p++) {
          if (this.conditions[p](records[i]) !== true) continue;
          picked[p].push(i);
          matched = true;
          if (!this.all) break;
        }
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(records[i], `route: ${err.message}`);
        continue;
      }
      if (!matched) fallback.push(i);
    }
    picked.forEach((keep, p) => { if (keep.length) this.ctx.emit(selectBatch(batch, keep), this.ports[p]); });
    if (fallback.length) this.ctx.emit(selectBatch(batch, fallback), 'default');
  }
}
