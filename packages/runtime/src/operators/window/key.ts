import type { Rec } from '../../core/batch.js';
import { fieldReader } from './aggregates.js';

/** Builds the key of a record from keyBy fields: its values, and a string for maps. */
export function makeKeyExtractor(keyBy: string[]): { values: (r: Rec) => unknown[]; toString: (values: unknown[]) => string } {
  const readers = keyBy.map(fieldReader);
  return {
    values: (r) => {
      const out = new Array<unknown>(readers.length);
      for (let i = 0; i < readers.length; i++) out[i] = readers[i](r) ?? null;
      return out;
    },
    // A lone string key is used as-is (the common case); everything else is JSON, which
    // keeps 1 and '1' apart because JSON quotes strings.
    toString: (values) => (values.length === 1 && typeof values[0] === 'string' ? values[0] : `\u0000${JSON.stringify(values)}`),
  };
}
