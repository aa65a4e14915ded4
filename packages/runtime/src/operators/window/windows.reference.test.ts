import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runPipeline } from '../../harness/run-pipeline.js';
import { randomChunks, refWindow, runChain, seeded, sortRows, type RefOperator } from '../../test-utils/reference.js';

/**
 * Windows against the literal Flink reference (test-utils/reference.ts): random out-of-order
 * input, random batch boundaries, both modes, emit final and updates, tumbling, sliding and
 * session windows, and cascades of two windows.
 */
interface Ev { ts: number; k: string; v: number }
type WindowParams = Record<string, unknown>;

const source = (ooo: number) => ({ id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: `${ooo}ms` } } });
const aggs = [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'v' }];

function chainDoc(ooo: number, windows: WindowParams[]) {
  return {
    format: 'eddy/pipeline@1', name: 'windows',
    nodes: [source(ooo), ...windows.map((params, i) => ({ id: `w${i}`, kind: 'window', params }))],
    edges: windows.map((_, i) => ({ from: i ? `w${i - 1}` : 'src', to: `w${i}` })),
  };
}

/** Runs the document in both modes at several batchings; every run must give the reference's rows and late records. */
async function expectReference(doc: unknown, evs: Ev[], ref: RefOperator[], seed: number) {
  const rand = seeded(seed);
  const runs = [
    { mode: 'native' as const, inputChunkSize: 1 },
    { mode: 'native' as const, inputChunkSize: randomChunks(rand, 16, 9) },
    { mode: 'microbatch' as const, inputChunkSize: randomChunks(rand, 16, 9), batchIntervalMs: 1 },
    { mode: 'microbatch' as const, inputChunkSize: 1000, batchIntervalMs: 60_000 },
  ];
  for (const opts of runs) {
    const r = await runPipeline(doc, { src: evs }, opts);
    ref.forEach((op, i) => {
      expect(sortRows(r.outputs[`w${i}`] ?? []), `w${i} rows, ${JSON.stringify(opts)}`).toEqual(sortRows(op.rows));
      expect(sortRows(r.outputs[`w${i}.late`] ?? []), `w${i} late, ${JSON.stringify(opts)}`).toEqual(sortRows(op.late));
    });
  }
}

const timed = (evs: Ev[]) => evs.map((e) => ({ row: e as unknown as Record<string, unknown>, ts: e.ts }));

describe('windows: small literal cases', () => {
  it('a 1 s count cascaded into a 10 s sum loses nothing (Flink: [0,10000) = 2, [20000,30000) = 1)', async () => {
    const evs = [{ ts: 500, k: 'a', v: 1 }, { ts: 1000, k: 'a', v: 1 }, { ts: 20000, k: 'a', v: 1 }];
    const doc = chainDoc(0, [
      { type: 'tumbling', size: '1s', keyBy: [], aggregates: [{ name: 'c', fn: 'count' }] },
      { type: 'tumbling', size: '10s', keyBy: [], aggregates: [{ name: 'total', fn: 'sum', field: 'c' }] },
    ]);
    for (const mode of ['native', 'microbatch'] as const) {
      const r = await runPipeline(doc, { src: evs }, { mode, inputChunkSize: 3, batchIntervalMs: 60_000 });
      expect(sortRows(r.outputs.w1 ?? [])).toEqual([
        { window_start: 0, window_end: 10000, total: 2 },
        { window_start: 20000, window_end: 30000, total: 1 },
      ]);
      expect(r.outputs['w1.late'] ?? []).toEqual([]);
    }
  });

  it('a session cleaned up is gone: a record touching its range opens a new session (Flink MergingWindowSet)', async () => {
    // gap 3 s, ooo 1 s. u1: [1000,6000) fires at wm 5999; 5500 arrives at wm 7999, touches only the
    // cleaned-up session, and its own [5500,8500) is not late: a new session.
    const evs = [
      { ts: 1000, k: 'u1', v: 1 }, { ts: 3000, k: 'u1', v: 2 }, { ts: 9000, k: 'u1', v: 4 }, { ts: 5500, k: 'u1', v: 8 },
    ];
    const doc = chainDoc(1000, [{ type: 'session', gap: '3s', keyBy: ['k'], aggregates: aggs }]);
    for (const mode of ['native', 'microbatch'] as const) {
      const r = await runPipeline(doc, { src: evs }, { mode, inputChunkSize: 4, batchIntervalMs: 60_000 });
      expect(sortRows(r.outputs.w0 ?? [])).toEqual(sortRows([
        { window_start: 1000, window_end: 6000, k: 'u1', n: 2, total: 3 },
        { window_start: 5500, window_end: 8500, k: 'u1', n: 1, total: 8 },
        { window_start: 9000, window_end: 12000, k: 'u1', n: 1, total: 4 },
      ]));
      expect(r.outputs['w0.late'] ?? []).toEqual([]);
    }
  });

  it('a session that grows moves its timer, but not one another session of its key still needs (emit updates)', async () => {
    // gap 10 ms, lateness 20 ms, ooo 0. u's A = [0,10) fires at wm 21 and waits for its clean-up
    // at 29; u's B = [20,30) needs its end at 29 too (one timer). The allowed late 5 grows A to
    // [0,15): its clean-up moves to 34, and B's row still leaves at 29, before w's at 31 (Flink:
    // a timer per window).
    const evs = [
      { ts: 0, k: 'u', v: 1 }, { ts: 22, k: 'w', v: 1 }, { ts: 20, k: 'u', v: 1 }, { ts: 5, k: 'u', v: 1 }, { ts: 40, k: 'z', v: 1 },
    ];
    const doc = chainDoc(0, [{ type: 'session', gap: '10ms', keyBy: ['k'], aggregates: aggs, allowedLateness: '20ms', emit: 'updates' }]);
    const row = (window_start: number, window_end: number, k: string, n: number) => ({ window_start, window_end, k, n, total: n });
    for (const mode of ['native', 'microbatch'] as const) {
      const r = await runPipeline(doc, { src: evs }, { mode, inputChunkSize: 1, batchIntervalMs: 1 });
      expect(r.outputs.w0).toEqual([row(0, 10, 'u', 1), row(0, 15, 'u', 2), row(20, 30, 'u', 1), row(22, 32, 'w', 1), row(40, 50, 'z', 1)]);
    }
    const ref = runChain(timed(evs), 0, [refWindow({ type: 'session', gap: 10, keyBy: 'k', aggs: aggs as never, lateness: 20, emit: 'updates' })]);
    await expectReference(doc, evs, ref, 3);
  });

  it('emit updates fires at the end and again for each allowed late record; final fires once after the lateness', async () => {
    // 10 s tumbling, lateness 5 s, ooo 0: 1000, 2000, then 12000 (wm 11999 passes 9999), then a late 3000 (allowed), then 16000 (cleans up), then 4000 (too late).
    const evs = [1000, 2000, 12000, 3000, 16000, 4000].map((ts) => ({ ts, k: 'a', v: 1 }));
    const base = { type: 'tumbling', size: '10s', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }], allowedLateness: '5s' };
    for (const mode of ['native', 'microbatch'] as const) {
      const up = await runPipeline(chainDoc(0, [{ ...base, emit: 'updates' }]), { src: evs }, { mode, inputChunkSize: 2, batchIntervalMs: 60_000 });
      expect(up.outputs.w0).toEqual([
        { window_start: 0, window_end: 10000, n: 2 },
        { window_start: 0, window_end: 10000, n: 3 },
        { window_start: 10000, window_end: 20000, n: 2 },
      ]);
      expect(up.outputs['w0.late']).toEqual([{ ts: 4000, k: 'a', v: 1 }]);
      const fin = await runPipeline(chainDoc(0, [{ ...base, emit: 'final' }]), { src: evs }, { mode, inputChunkSize: 2, batchIntervalMs: 60_000 });
      expect(sortRows(fin.outputs.w0 ?? [])).toEqual([
        { window_start: 0, window_end: 10000, n: 3 },
        { window_start: 10000, window_end: 20000, n: 2 },
      ]);
    }
  });
});

const events = fc.array(
  fc.record({ ts: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 40 }).map((x) => x * 500)), k: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: -5, max: 5 }) }),
  { minLength: 1, maxLength: 100 },
);
const emit = fc.constantFrom('final', 'updates') as fc.Arbitrary<'final' | 'updates'>;

describe('windows against the reference, random input and batch boundaries, both modes', () => {
  it('tumbling and sliding (event times from 0, and as epoch milliseconds)', async () => {
    await fc.assert(fc.asyncProperty(events, fc.constantFrom(1000, 2000, 5000), fc.constantFrom(1, 2, 4), fc.integer({ min: 0, max: 3000 }),
      fc.constantFrom(0, 1500), emit, fc.integer(), fc.constantFrom(0, 1_700_000_000_000),
      async (fromZero, size, perWindow, ooo, lateness, mode, seed, origin) => {
        const evs = fromZero.map((e) => ({ ...e, ts: e.ts + origin }));
        const slide = size / perWindow;
        const type = perWindow === 1 ? 'tumbling' : 'sliding';
        const ref = runChain(timed(evs), ooo, [refWindow({ type, size, slide, keyBy: 'k', aggs: aggs as never, lateness, emit: mode })]);
        const doc = chainDoc(ooo, [{ type, size: `${size}ms`, ...(type === 'sliding' && { slide: `${slide}ms` }), keyBy: ['k'], aggregates: aggs,
          allowedLateness: `${lateness}ms`, emit: mode }]);
        await expectReference(doc, evs, ref, seed);
      }), { numRuns: 40 });
  });

  it('sessions', async () => {
    await fc.assert(fc.asyncProperty(events, fc.constantFrom(500, 1000, 3000), fc.integer({ min: 0, max: 4000 }), fc.constantFrom(0, 1000), emit, fc.integer(),
      async (evs, gap, ooo, lateness, mode, seed) => {
        const ref = runChain(timed(evs), ooo, [refWindow({ type: 'session', gap, keyBy: 'k', aggs: aggs as never, lateness, emit: mode })]);
        const doc = chainDoc(ooo, [{ type: 'session', gap: `${gap}ms`, keyBy: ['k'], aggregates: aggs, allowedLateness: `${lateness}ms`, emit: mode }]);
        await expectReference(doc, evs, ref, seed);
      }), { numRuns: 50 });
  });

  it('cascades: a fine window into a coarse one (tumbling → tumbling, sliding → session)', async () => {
    await fc.assert(fc.asyncProperty(events, fc.integer({ min: 0, max: 3000 }), fc.integer(), async (evs, ooo, seed) => {
      const sum = [{ name: 'n', fn: 'sum', field: 'n' }];
      const ref = runChain(timed(evs), ooo, [
        refWindow({ type: 'tumbling', size: 1000, keyBy: 'k', aggs: aggs as never }),
        refWindow({ type: 'tumbling', size: 5000, keyBy: 'k', aggs: sum as never }),
      ]);
      await expectReference(chainDoc(ooo, [
        { type: 'tumbling', size: '1s', keyBy: ['k'], aggregates: aggs },
        { type: 'tumbling', size: '5s', keyBy: ['k'], aggregates: sum },
      ]), evs, ref, seed);
      const ref2 = runChain(timed(evs), ooo, [
        refWindow({ type: 'sliding', size: 2000, slide: 1000, keyBy: 'k', aggs: aggs as never }),
        refWindow({ type: 'session', gap: 1500, keyBy: 'k', aggs: sum as never }),
      ]);
      await expectReference(chainDoc(ooo, [
        { type: 'sliding', size: '2s', slide: '1s', keyBy: ['k'], aggregates: aggs },
        { type: 'session', gap: '1500ms', keyBy: ['k'], aggregates: sum },
      ]), evs, ref2, seed);
    }), { numRuns: 30 });
  });
});
