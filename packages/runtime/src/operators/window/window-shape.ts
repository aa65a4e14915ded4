import { keyFieldName, type WindowAggregate } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../../core/batch.js';
import type { OperatorContext } from '../../core/operator.js';
import { makeAggregateSpecs, result, type AggregateSpec } from './aggregates.js';
import { makeKeyExtractor } from './key.js';

/** The latest start of an aligned window (epoch 0, every `slide` ms) at or before `ts`: a record's last window starts there. */
export const lastWindowStart = (ts: number, slide: number): number => ts - (((ts % slide) + slide) % slide);

/** What every window kind shares: keys, aggregates, the output row, and the late port. */
export class WindowShape {
  readonly aggs: AggregateSpec[];
  readonly key: ReturnType<typeof makeKeyExtractor>;
  private readonly keyNames: string[];

  constructor(params: { keyBy: string[]; aggregates: WindowAggregate[] }, private readonly ctx: OperatorContext) {
    this.aggs = makeAggregateSpecs(params.aggregates);
    this.key = makeKeyExtractor(params.keyBy);
    this.keyNames = params.keyBy.map(keyFieldName);
  }

  /** window_start, window_end, the key fields, one field per aggregate. */
  row(key: unknown[], start: number, end: number, accs: unknown[]): Rec {
    const row: Rec = { window_start: start, window_end: end };
    for (let k = 0; k < this.keyNames.length; k++) row[this.keyNames[k]] = key[k];
    for (let j = 0; j < this.aggs.length; j++) row[this.aggs[j].name] = result(this.aggs[j].fn, accs[j]);
    return row;
  }

  /** Late records leave unchanged on the `late` port and are counted. */
  emitLate(batch: Batch, late: number[]): void {
    if (!late.length) return;
    this.ctx.countLate(late.length);
    this.ctx.emit(selectBatch(batch, late), 'late');
  }
}
