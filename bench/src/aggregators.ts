/**
 * The end of every workload: an aggregator that all implementations feed, so that their
 * answers compare exactly. Window aggregators are the hand-written limit of each query.
 */
export type Row = Record<string, any>;

export interface Aggregator {
  add(row: Row): void;
  /** Canonical answer: sorted rows or a summary. */
  result(): unknown;
}

/** Count and checksums: for pass-through style outputs, too large to compare row by row. */
export function checksum(fields: string[]): () => Aggregator {
  return () => {
    let n = 0;
    const sums = fields.map(() => 0);
    return {
      add(row) {
        n++;
        for (let i = 0; i < fields.length; i++) {
          const v = row[fields[i]];
          if (typeof v === 'number') sums[i] += v;
        }
      },
      result: () => ({ n, sums: sums.map((s) => Math.round(s * 1000) / 1000) }),
    };
  };
}

/** Rows kept and sorted: for window outputs. Numbers rounded so float summation order does not matter. */
export function rows(): Aggregator {
  const all: Row[] = [];
  return {
    add: (row) => { all.push(row); },
    result: () => all
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort().map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v]))))
      .sort(),
  };
}

/** Tumbling window by event time, keyed; the hand-written YSB / q7 aggregation. */
export function tumbling(size: number, key: (r: Row) => string | null, keyName: string | null,
  aggs: Record<string, (acc: number | undefined, r: Row) => number>, time: (r: Row) => number) {
  const windows = new Map<string, Row>();
  const entries = Object.entries(aggs); // once, not per record
  return {
    add(r: Row) {
      const ts = time(r);
      const start = ts - (ts % size);
      const k = key(r);
      const id = `${start}|${k}`;
      let w = windows.get(id);
      if (!w) {
        w = { window_start: start, window_end: start + size, ...(keyName ? { [keyName]: k } : {}) };
        windows.set(id, w);
      }
      for (const [name, f] of entries) w[name] = f(w[name], r);
    },
    rows: () => [...windows.values()],
  };
}
