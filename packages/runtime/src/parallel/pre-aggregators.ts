import type { Batch } from '../core/batch.js';
import type { NodeKind, ParamsOf } from '@eddy/shared';
import { WindowPreAggregator, type Combined, type Frontier } from '../operators/window/pre-aggregate.js';

/** Combines records before a keyed exchange (the catalog's `preAggregatable` kinds). */
export interface PreAggregator {
  /** The batch to send instead, and each of its records' key string (null: read them from the records, which are the batch's own). */
  combine(batch: Batch, at: Frontier): Combined;
  /** True while partials are held for later batches (only when made with `holds`). */
  readonly holding: boolean;
  /** The held partials due at watermark `wm` (Infinity: all), standing at `at`; null when none. */
  flush(wm: number, at: Frontier, arrivedAt: number): Combined | null;
}

/** One per `preAggregatable` kind; `holds`: partials may be kept across batches until due. */
const preAggregators: Partial<Record<NodeKind, (params: never, holds: boolean) => PreAggregator>> = {
  window: (params: ParamsOf<'window'>, holds) => new WindowPreAggregator(params, holds),
};

export function preAggregatorFor(target: { kind: string; params: unknown }, holds = false): PreAggregator {
  const make = preAggregators[target.kind as NodeKind];
  if (!make) throw new Error(`a ${target.kind} has no pre-aggregation (its kind says preAggregatable but the runtime has none)`);
  return make(target.params as never, holds);
}
