import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runPipeline } from '../harness/run-pipeline.js';
import { randomChunks, refWindow, runChain, seeded, sortRows, type Row } from '../test-utils/reference.js';

/**
 * Several inputs from one source (diamonds): a record's lateness is judged as if records
 * flowed one at a time, so route → union → window gives the same rows as the window on the
 * whole stream, and both sides of a join from one source follow the one-record-at-a-time
 * reference — in both modes, at any batch boundary.
 */
interface Ev { ts: number; k: string; v: number; side: string }
const fields = [{ name: 'ts', type: 'number' }, { name: 'k', type: 'string' }, { name: 'v', type: 'number' }, { name: 'side', type: 'string' }];
const src = (ooo: number) => ({ id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', fields, eventTime: { field: 'ts', maxOutOfOrderness: `${ooo}ms` } } });
const split = { id: 'split', kind: 'route', params: { routes: [{ port: 'l', where: "side = 'l'" }, { port: 'r', where: "side = 'r'" }] } };
const aggs = [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'v' }];

const events = fc.array(fc.record({
  ts: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 40 }).map((x) => x * 500)),
  k: fc.constantFrom('a', 'b'), v: fc.integer({ min: -5, max: 5 }), side: fc.constantFrom('l', 'r'),
}), { minLength: 1, maxLength: 100 });

function batchings(seed: number) {
  const rand = seeded(seed);
  return [
    { mode: 'native' as const, inputChunkSize: 1 },
    { mode: 'native' as const, inputChunkSize: randomChunks(rand, 16, 12) },
    { mode: 'microbatch' as const, inputChunkSize: randomChunks(rand, 16, 12), batchIntervalMs: 1 },
    { mode: 'microbatch' as const, inputChunkSize: 1000, batchIntervalMs: 60_000 },
  ];
}

/** Eddy's interval join rule, one record at a time: late when ts + within ≤ wm; entries expire at ts + 2·within. */
function refIntervalJoin(evs: Ev[], ooo: number, within: number, left: boolean) {
  type Entry = { e: Ev; matched: boolean };
  let buf: Entry[] = [];
  const rows: Row[] = [];
  let late = 0;
  const padded = (l: Ev): Row => ({ ...l, right_ts: null, right_k: null, right_v: null, right_side: null });
  const joined = (l: Ev, r: Ev): Row => ({ ...l, right_ts: r.ts, right_k: r.k, right_v: r.v, right_side: r.side });
  const advance = (wm: number) => {
    for (const x of buf) if (x.e.ts + 2 * within <= wm && x.e.side === 'l' && !x.matched && left) rows.push(padded(x.e));
    buf = buf.filter((x) => x.e.ts + 2 * within > wm);
  };
  let maxTs = -Infinity;
  for (const e of evs) {
    const wm = maxTs - ooo - 1;
    advance(wm);
    maxTs = Math.max(maxTs, e.ts);
    if (e.ts + within <= wm) { late++; continue; }
    const me: Entry = { e, matched: false };
    for (const o of buf) {
      if (o.e.side === e.side || o.e.k !== e.k || Math.abs(o.e.ts - e.ts) > within) continue;
      const [l, r] = e.side === 'l' ? [me, o] : [o, me];
      l.matched = true;
      rows.push(joined(l.e, r.e));
    }
    buf.push(me);
  }
  advance(Number.MAX_SAFE_INTEGER);
  return { rows, late };
}

describe('diamonds: several inputs from one source', () => {
  it('route → union → window equals the window over the whole stream (random input and batch boundaries)', async () => {
    await fc.assert(fc.asyncProperty(events, fc.integer({ min: 0, max: 3000 }), fc.constantFrom(1000, 5000), fc.integer(), async (evs, ooo, size, seed) => {
      const ref = runChain(evs.map((e) => ({ row: e as unknown as Row, ts: e.ts })), ooo,
        [refWindow({ type: 'tumbling', size, keyBy: 'k', aggs: aggs as never })])[0];
      const doc = {
        format: 'eddy/pipeline@1', name: 'diamond',
        nodes: [src(ooo), split, { id: 'u', kind: 'union', params: {} },
          { id: 'w', kind: 'window', params: { type: 'tumbling', size: `${size}ms`, keyBy: ['k'], aggregates: aggs } }],
        edges: [{ from: 'src', to: 'split' }, { from: 'split', fromPort: 'l', to: 'u' }, { from: 'split', fromPort: 'r', to: 'u' }, { from: 'u', to: 'w' }],
      };
      for (const opts of batchings(seed)) {
        const r = await runPipeline(doc, { src: evs }, opts);
        expect(sortRows(r.outputs.w ?? []), JSON.stringify(opts)).toEqual(sortRows(ref.rows));
        expect(sortRows(r.outputs['w.late'] ?? []), JSON.stringify(opts)).toEqual(sortRows(ref.late));
      }
    }), { numRuns: 40 });
  });

  it('both sides of an interval join from one source follow the one-at-a-time rule (inner and left)', async () => {
    await fc.assert(fc.asyncProperty(events, fc.integer({ min: 0, max: 3000 }), fc.constantFrom(500, 2000), fc.boolean(), fc.integer(),
      async (evs, ooo, within, left, seed) => {
        const ref = refIntervalJoin(evs, ooo, within, left);
        const doc = {
          format: 'eddy/pipeline@1', name: 'self-join',
          nodes: [src(ooo), split,
            { id: 'j', kind: 'join', params: { type: left ? 'left' : 'inner', leftKey: 'k', rightKey: 'k', within: `${within}ms` } }],
          edges: [{ from: 'src', to: 'split' }, { from: 'split', fromPort: 'l', to: 'j', toPort: 'left' }, { from: 'split', fromPort: 'r', to: 'j', toPort: 'right' }],
        };
        for (const opts of batchings(seed)) {
          const r = await runPipeline(doc, { src: evs }, opts);
          expect(sortRows(r.outputs.j ?? []), JSON.stringify(opts)).toEqual(sortRows(ref.rows));
          expect(r.metrics.nodes.j.lateRecords, JSON.stringify(opts)).toBe(ref.late);
        }
      }), { numRuns: 40 });
  });

  it('a literal diamond: the late record on one branch is judged by its own watermark, not the other branch\'s', async () => {
    // ooo 0. l@5000 moves the watermark to 4999; r@1000 then arrives at wm 4999: its window [0,1000) is cleaned up → late.
    // r@4500 arrives at wm 4999 too, but [4000,5000) fires only at 4999 → it is late as well; l@5200 is on time.
    const evs: Ev[] = [{ ts: 5000, k: 'a', v: 1, side: 'l' }, { ts: 1000, k: 'a', v: 1, side: 'r' }, { ts: 4999, k: 'a', v: 1, side: 'r' }, { ts: 5200, k: 'a', v: 1, side: 'l' }];
    const doc = {
      format: 'eddy/pipeline@1', name: 'diamond',
      nodes: [src(0), split, { id: 'u', kind: 'union', params: {} },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }] } }],
      edges: [{ from: 'src', to: 'split' }, { from: 'split', fromPort: 'l', to: 'u' }, { from: 'split', fromPort: 'r', to: 'u' }, { from: 'u', to: 'w' }],
    };
    for (const mode of ['native', 'microbatch'] as const) {
      const r = await runPipeline(doc, { src: evs }, { mode, inputChunkSize: 4, batchIntervalMs: 60_000 });
      expect(sortRows(r.outputs.w ?? [])).toEqual([{ window_start: 5000, window_end: 6000, n: 2 }]);
      expect(sortRows(r.outputs['w.late'] ?? [])).toEqual(sortRows([evs[1], evs[2]]));
    }
  });
});
