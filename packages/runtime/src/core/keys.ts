import type { Rec } from './batch.js';

/**
 * The string form of a key value for maps and state: a string as-is (the common case),
 * anything else as JSON behind a NUL, which keeps 1 and '1' apart. A finite number skips
 * JSON.stringify (same text, far cheaper per record).
 */
export const keyString = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? `\u0000${v}` : `\u0000${JSON.stringify(v)}`;

export function fieldReader(path: string): (r: Rec) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) return (r) => r[path];
  return (r) => {
    let v: unknown = r;
    for (const p of parts) v = v == null ? undefined : (v as Rec)[p];
    return v;
  };
}

/** Builds the key of a record from keyBy fields: its values (for output rows) and its string (for state). */
export function makeKeyExtractor(keyBy: string[]): {
  values: (r: Rec) => unknown[];
  /** The key string straight from a record, without building the values array (hot path). */
  stringOf: (r: Rec) => string;
  /** The key string of values as `values` gives them (a partial aggregate carries its key's values). */
  stringOfValues: (values: unknown[]) => string;
} {
  const readers = keyBy.map(fieldReader);
  const values = (r: Rec) => {
    const out = new Array<unknown>(readers.length);
    for (let i = 0; i < readers.length; i++) out[i] = readers[i](r) ?? null;
    return out;
  };
  const single = readers.length === 1 ? readers[0] : null;
  // No key fields (a window over everything): one key, its string made once, not per record.
  if (!readers.length) {
    const none = keyString([]);
    return { values, stringOf: () => none, stringOfValues: () => none };
  }
  return {
    values,
    stringOf: single ? (r) => keyString(single(r) ?? null) : (r) => keyString(values(r)),
    stringOfValues: single ? (v) => keyString(v[0]) : (v) => keyString(v),
  };
}
