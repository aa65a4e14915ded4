/**
 * Literal references for engine tests, written from Flink's documented rules and not from
 * Eddy's code: records flow one at a time; before each record the source's watermark
 * (max event time so far − maxOutOfOrderness − 1) goes through the chain, each operator
 * firing what it passes and emitting that output *before* handing the watermark on.
 */
export type Row = Record<string, unknown>;
export interface Timed { row: Row; ts: number }

/** One operator of a reference chain. */
export interface RefOperator {
  /** A record arrives while the operator's watermark is `wm`; returns what it emits at once. */
  process(r: Timed, wm: number): Timed[];
  /** The watermark moves to `wm`; returns what fires (emitted before `wm` goes on). */
  advance(wm: number): Timed[];
  late: Row[];
  rows: Row[];
}

export interface AggSpec { name: string; fn: 'count' | 'sum'; field?: string }

const aggregate = (rows: Row[], aggs: AggSpec[]): Row => {
  const out: Row = {};
  for (const a of aggs) {
    if (a.fn === 'count') out[a.name] = a.field ? rows.filter((r) => r[a.field!] !== null && r[a.field!] !== undefined).length : rows.length;
    else {
      const vals = rows.map((r) => r[a.field!]).filter((v) => v !== null && v !== undefined) as number[];
      out[a.name] = vals.length ? vals.reduce((x, y) => x + y, 0) : null;
    }
  }
  return out;
};

interface Win { start: number; end: number; key: string; rows: Row[]; dirty: boolean }

/**
 * Flink's WindowOperator with EventTimeTrigger, for aligned (tumbling/sliding) windows and
 * for sessions (MergingWindowSet). emit 'final': one row at cleanup (end − 1 + lateness);
 * 'updates': a row at end − 1, one more per allowed late record, state cleared at cleanup.
 */
export function refWindow(spec: {
  type: 'tumbling' | 'sliding' | 'session'; size?: number; slide?: number; gap?: number;
  keyBy: string | null; aggs: AggSpec[]; lateness?: number; emit?: 'final' | 'updates';
}): RefOperator {
  const lateness = spec.lateness ?? 0;
  const updates = spec.emit === 'updates' && lateness > 0;
  let wins: Win[] = [];
  const op: RefOperator = { late: [], rows: [], process, advance };
  const keyOf = (r: Row) => (spec.keyBy ? String(r[spec.keyBy]) : '');
  const rowOf = (w: Win): Timed => {
    const row: Row = { window_start: w.start, window_end: w.end, ...(spec.keyBy ? { [spec.keyBy]: w.rows[0][spec.keyBy] } : {}), ...aggregate(w.rows, spec.aggs) };
    op.rows.push(row);
    return { row, ts: w.end - 1 };
  };
  function process(r: Timed, wm: number): Timed[] {
    const out: Timed[] = [];
    const key = keyOf(r.row);
    const placed: Win[] = [];
    if (spec.type === 'session') {
      const gap = spec.gap!;
      let w: Win = { start: r.ts, end: r.ts + gap, key, rows: [r.row], dirty: true };
      const touching = wins.filter((x) => x.key === key && x.start <= w.end && w.start <= x.end);
      if (!touching.length && w.end - 1 + lateness <= wm) { op.late.push(r.row); return out; }
      for (const x of touching) w = { start: Math.min(w.start, x.start), end: Math.max(w.end, x.end), key, rows: [...x.rows, ...w.rows], dirty: true };
      wins = wins.filter((x) => !touching.includes(x));
      wins.push(w);
      placed.push(w);
    } else {
      const size = spec.size!;
      const slide = spec.type === 'sliding' ? spec.slide! : size;
      const first = r.ts - (((r.ts % slide) + slide) % slide);
      for (let start = first; start > r.ts - size; start -= slide) {
        const end = start + size;
        if (end - 1 + lateness <= wm) continue;
        let w = wins.find((x) => x.key === key && x.start === start);
        if (!w) wins.push((w = { start, end, key, rows: [], dirty: false }));
        w.rows.push(r.row);
        w.dirty = true;
        placed.push(w);
      }
      if (!placed.length) op.late.push(r.row);
    }
    if (updates) for (const w of placed) if (w.end - 1 <= wm) { out.push(rowOf(w)); w.dirty = false; }
    return out;
  }
  function advance(wm: number): Timed[] {
    const out: Timed[] = [];
    for (const w of [...wins].sort((a, b) => a.end - b.end)) {
      if (updates && w.end - 1 <= wm && w.dirty) { out.push(rowOf(w)); w.dirty = false; }
      if (w.end - 1 + lateness <= wm) {
        if (!updates) out.push(rowOf(w));
        wins = wins.filter((x) => x !== w);
      }
    }
    return out;
  }
  return op;
}

/**
 * Runs events through a linear chain of reference operators, one record at a time, in
 * Flink's order: watermark (and what it fires, downstream first under the old watermark),
 * then the record. Returns each operator's rows and late records.
 */
export function runChain(events: Timed[], ooo: number, chain: RefOperator[]): RefOperator[] {
  const wms = chain.map(() => -Infinity);
  const push = (i: number, items: Timed[]) => {
    if (i >= chain.length) return;
    for (const it of items) push(i + 1, chain[i].process(it, wms[i]));
  };
  const watermark = (wm: number) => {
    for (let i = 0; i < chain.length; i++) {
      if (wm <= wms[i]) continue;
      const fired = chain[i].advance(wm);
      push(i + 1, fired); // downstream sees it under its previous watermark
      wms[i] = wm;
    }
  };
  let maxTs = -Infinity;
  for (const e of events) {
    if (maxTs > -Infinity) watermark(maxTs - ooo - 1);
    push(0, [e]);
    maxTs = Math.max(maxTs, e.ts);
  }
  watermark(Number.MAX_SAFE_INTEGER);
  return chain;
}

/** A seeded generator (mulberry32) for random input and random batch boundaries. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random chunk sizes for ArraySource (1..max), so batch boundaries fall anywhere. */
export function randomChunks(rand: () => number, count: number, max: number): number[] {
  return Array.from({ length: count }, () => 1 + Math.floor(rand() * max));
}

export const sortRows = <T>(rows: T[]): T[] => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
