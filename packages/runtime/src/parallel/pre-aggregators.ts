import type { Batch } from '../core/batch.js';
import type { NodeKind, ParamsOf } from '@eddy/shared';
import { WindowPreAggregator } from '../operators/window/pre-aggregate.js';

/** Combines a batch's records before a keyed exchange (the catalog's `preAggregatable` kinds). */
export interface PreAggregator {
  /** The batch to send instead, and each of its records' key string (null: read them from the records, which are the batch's own). */
  combine(batch: Batch): { batch: Batch; keys: string[] | null };
}

/** One per `preAggregatable` kind. */
const preAggregators: Partial<Record<NodeKind, (params: never) => PreAggregator>> = {
  window: (params: ParamsOf<'window'>) => new WindowPreAggregator(params),
};

export function preAggregatorFor(target: { kind: string; params: unknown }): PreAggregator {
  const make = preAggregators[target.kind as NodeKind];
  if (!make) throw new Error(`a ${target.kind} has no pre-aggregation (its kind says preAggregatable but the runtime has none)`);
  return make(target.params as never);
}
