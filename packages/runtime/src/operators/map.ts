import { compileExpression, ExpressionRuntimeError, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';
import { copyRecord } from '../core/set-field.js';

/** Computes fields from expressions; `keep` passes the input's other fields through. */
export class MapOperator implements Operator {
  private readonly names: string[];
  private readonly exprs: ((r: Rec) => unknown)[];
  private readonly keep: boolean;

  constructor(params: ParamsOf<'map'>, private readonly ctx: OperatorContext) {
    this.names = params.fields.map((f) => f.name);
    this.exprs = params.fields.map((f) => compileExpression(f.expr, ctx.inputSchemas.in));
    this.keep = params.keep;
  }

  processBatch(batch: Batch): void {
    const { names, exprs, keep } = this;
    const input = batch.records;
    const out: Rec[] = [];
    let failed: Set<number> | undefined;
    for (let i = 0; i < input.length; i++) {
      const r = input[i];
      const o: Rec = keep ? copyRecord(r) : {};
      try {
        for (let f = 0; f < names.length; f++) o[names[f]] = exprs[f](r);
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(r, `map: ${err.message}`);
        (failed ??= new Set()).add(i);
        continue;
      }
      out.push(o);
    }
    if (!out.length) return;
    if (!failed) {
      this.ctx.emit({ records: out, times: batch.times, wms: batch.wms, arrivedAt: batch.arrivedAt, seqs: batch.seqs });
      return;
    }
    const kept = selectBatch(batch, input.map((_r, i) => i).filter((i) => !failed!.has(i)));
    this.ctx.emit({ ...kept, records: out });
  }
}
