import type { Rec } from '../../core/batch.js';
import { keyString } from '../../core/keys.js';
import { fieldReader } from './aggregates.js';

/** Builds the key of a record from keyBy fields: its values (for output rows) and its string (for state). */
export function makeKeyExtractor(keyBy: string[]): {
  values: (r: Rec) => unknown[];
  /** The key string straight from a record, without building the values array (hot path). */
  stringOf: (r: Rec) => string;
} {
  const readers = keyBy.map(fieldReader);
  const values = (r: Rec) => {
    const out = new Array<unknown>(readers.length);
    for (let i = 0; i < readers.length; i++) out[i] = readers[i](r) ?? null;
    return out;
  };
  const single = readers.length === 1 ? readers[0] : null;
  return {
    values,
    stringOf: single ? (r) => keyString(single(r) ?? null) : (r) => keyString(values(r)),
  };
}
