import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getKind, type ParamsOf, type PipelineDocument } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import { runPipeline } from '../../harness/run-pipeline.js';
import { planParallel } from '../../parallel/plan.js';
import { PARTIAL, WindowPreAggregator } from './pre-aggregate.js';

const params = (p: Partial<ParamsOf<'window'>>): ParamsOf<'window'> => getKind('window')!.params.parse({
  type: 'tumbling', size: '10ms', keyBy: ['k'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'hi', fn: 'max', field: 'v' }], ...p,
}) as ParamsOf<'window'>;
const batch = (rows: [k: string, ts: number, v: unknown, wm: number][]): Batch => ({
  records: rows.map(([k, , v]) => ({ k, v })), times: rows.map(([, ts]) => ts), wms: rows.map(([, , , wm]) => wm),
  arrivedAt: 0, seqs: rows.map((_r, i) => 100 + i),
});
const marks = (b: Batch) => b.records.map((r, i) => [b.seqs![i], b.wms[i], PARTIAL in r ? r[PARTIAL] : r]);

describe('window pre-aggregation: what crosses instead of the records (literal reference)', () => {
  it('one partial per window and key, where the last of its records stood; the rest as they are', () => {
    const { batch: out, keys } = new WindowPreAggregator(params({})).combine(batch([
      ['a', 1, 2, 0], ['b', 2, 5, 0], ['a', 3, 4, 0],
      ['a', 4, 'x', 0], // text: a max could refuse it (the dead letter must carry the record)
      ['b', 12, 1, 5], // window [10, 20)
      ['a', 5, 1, 12], // its window [0, 10) is cleaned up at watermark 12 (end − 1 ≤ wm): late, for the late port
      ['b', 13, null, 12], // NULL is skipped by max, counted by count(*)
    ]));
    expect(marks(out)).toEqual([
      [101, 0, { start: 0, key: ['b'], accs: [1, 5], n: 1 }],
      [102, 0, { start: 0, key: ['a'], accs: [2, 4], n: 2 }],
      [103, 0, { k: 'a', v: 'x' }],
      [105, 12, { k: 'a', v: 1 }],
      [106, 12, { start: 10, key: ['b'], accs: [2, 1], n: 2 }],
    ]);
    expect(keys).toEqual(['b', 'a', 'a', 'a', 'b']);
  });

  it('sliding: a record in several windows adds to a partial of each, counted once (in its first window)', () => {
    const agg = new WindowPreAggregator(params({ type: 'sliding', size: '10ms', slide: '5ms' }));
    const { batch: out } = agg.combine(batch([['a', 7, 1, 0], ['a', 8, 1, 0], ['a', 9, 1, 0]]));
    expect(marks(out)).toEqual([
      [102, 0, { start: 5, key: ['a'], accs: [3, 1], n: 3 }],
      [102, 0, { start: 0, key: ['a'], accs: [3, 1], n: 0 }],
    ]);
  });

  it('emit updates: a record past its window end (allowed late) goes as itself, each fires a row', () => {
    const agg = new WindowPreAggregator(params({ allowedLateness: '100ms', emit: 'updates' }));
    const { batch: out } = agg.combine(batch([['a', 1, 1, 20], ['a', 2, 1, 20], ['a', 31, 1, 20], ['a', 32, 1, 20]]));
    expect(marks(out)).toEqual([[100, 20, { k: 'a', v: 1 }], [101, 20, { k: 'a', v: 1 }], [103, 20, { start: 30, key: ['a'], accs: [2, 1], n: 2 }]]);
  });

  it('a record carrying the marker field itself is wrapped (never read as a partial); min/max take finite non-zero numbers only', () => {
    const agg = new WindowPreAggregator(params({ aggregates: [{ name: 'lo', fn: 'min', field: 'v' }] }));
    const forged: Rec = { k: 'a', v: 1, [PARTIAL]: { start: 0, key: ['a'], accs: [-1e9], n: 1000 } };
    const b = batch([['a', 1, 3, 0], ['a', 2, 'x', 0], ['a', 3, -0, 0], ['a', 4, 0, 0], ['a', 5, Infinity, 0]]);
    b.records.push(forged); b.times.push(6); b.wms.push(0); b.seqs!.push(105);
    const { batch: out } = agg.combine(b);
    expect(out.records.map((r) => r[PARTIAL] ?? r)).toEqual([
      { start: 0, key: ['a'], accs: [3], n: 1 }, { k: 'a', v: 'x' }, { k: 'a', v: -0 }, { k: 'a', v: 0 }, { k: 'a', v: Infinity }, { raw: forged },
    ]);
  });

  it('pauses for 64 batches after 4 in a row that did not shrink (every record its own key), then combines again', () => {
    const agg = new WindowPreAggregator(params({}));
    const distinct = (i: number) => batch([['a' + i, 1, 1, 0], ['b' + i, 2, 1, 0]]);
    const same = () => batch([['a', 1, 1, 0], ['a', 2, 1, 0]]);
    for (let i = 0; i < 4; i++) expect(agg.combine(distinct(i)).batch.records).toHaveLength(2);
    for (let i = 0; i < 64; i++) {
      const b = same();
      expect(agg.combine(b)).toEqual({ batch: b, keys: null }); // as it is: the exchange reads the keys
    }
    expect(marks(agg.combine(same()).batch)).toEqual([[101, 0, { start: 0, key: ['a'], accs: [2, 1], n: 2 }]]);
    // Paused or not, a record carrying the marker is wrapped.
    for (let i = 0; i < 4; i++) agg.combine(distinct(i));
    const forged = batch([['a', 1, 1, 0]]);
    forged.records[0][PARTIAL] = { start: 0, key: ['a'], accs: [9, 9], n: 9 };
    expect(agg.combine(forged).batch.records[0][PARTIAL]).toEqual({ raw: forged.records[0] });
  });

  it('a batch that shrinks less than 4× still sends its partials, but 4 in a row pause combining (it would only move the work)', () => {
    const agg = new WindowPreAggregator(params({}));
    // Two keys, two records each: 4 records → 2 partials, 2× smaller.
    const halved = (i: number) => batch([['a' + i, 1, 1, 0], ['b' + i, 2, 1, 0], ['a' + i, 3, 1, 0], ['b' + i, 4, 1, 0]]);
    for (let i = 0; i < 4; i++) expect(marks(agg.combine(halved(i)).batch).map(([seq]) => seq)).toEqual([102, 103]);
    const b = halved(9);
    expect(agg.combine(b)).toEqual({ batch: b, keys: null });
    // Four records of one key (4× smaller) count as shrunk: a run of them never pauses.
    const fresh = new WindowPreAggregator(params({}));
    const quartered = () => batch([['a', 1, 1, 0], ['a', 2, 1, 0], ['a', 3, 1, 0], ['a', 4, 1, 0]]);
    for (let i = 0; i < 6; i++) expect(marks(fresh.combine(quartered()).batch)).toEqual([[103, 0, { start: 0, key: ['a'], accs: [4, 1], n: 4 }]]);
  });

  it('leaves a batch without source positions as it is (after a stateful node the merge orders by watermark)', () => {
    const b = batch([['a', 1, 1, 0], ['a', 2, 1, 0]]);
    delete b.seqs;
    expect(new WindowPreAggregator(params({})).combine(b).batch).toBe(b);
  });

  it('the catalog offers it for tumbling and sliding count/min/max only (order-free results); the plan marks those exchanges', () => {
    const can = (p: Partial<ParamsOf<'window'>>) => getKind('window')!.preAggregatable!(params(p) as never);
    expect(can({})).toBe(true);
    expect(can({ type: 'sliding', slide: '5ms', aggregates: [{ name: 'n', fn: 'count', field: 'v' }, { name: 'lo', fn: 'min', field: 'v' }] })).toBe(true);
    expect(can({ aggregates: [{ name: 's', fn: 'sum', field: 'v' }] })).toBe(false); // float addition depends on order
    expect(can({ aggregates: [{ name: 'a', fn: 'avg', field: 'v' }] })).toBe(false);
    expect(can({ type: 'session', gap: '5ms' })).toBe(false);
    expect(can({ aggregates: [{ name: 'p', fn: 'p95', field: 'v' }] })).toBe(false);
    expect(can({ aggregates: [{ name: 'f', fn: 'first', field: 'v' }] })).toBe(false);
    const plan = planParallel(doc(params({}), 2), ['src', 's', 'w'], 2);
    expect(plan.edges.find((e) => e.edge.to === 'w')).toMatchObject({ route: 'hash', preAggregate: { kind: 'window' } });
    // Read whole (a node of two inputs): the job's thread combines before the exchange.
    const whole = planParallel(doc(params({}), 2, 'host'), ['src', 'r', 'u', 'w'], 2);
    expect(whole.edges.find((e) => e.edge.to === 'w')).toMatchObject({ from: 'host', route: 'hash', preAggregate: { kind: 'window' } });
  });
});

const SCORE = { features: [{ name: 'v', expr: 'v' }], model: { type: 'linear', weights: { v: 1 }, intercept: 0 }, output: 'score' };
const SOURCE = { kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '300ms' } } };
/**
 * `pieces`: the source is read in pieces, each subtask combines what it parsed (and holds partials
 * until due, learning the watermark from each delivered piece). `host`: a diamond (route → union: a
 * node of two inputs, so the source is read whole) on the job's thread, which combines (and holds)
 * before the exchange.
 */
function doc(window: ParamsOf<'window'>, parallelism: number, topology: 'pieces' | 'host' = 'pieces'): PipelineDocument {
  if (topology === 'host') return {
    format: 'eddy/pipeline@1', name: 'pre-aggregate', settings: { parallelism },
    nodes: [{ id: 'src', ...SOURCE }, { id: 'r', kind: 'route', params: { routes: [{ port: 'hot', where: "k = 'hot'" }] } },
      { id: 'u', kind: 'union', params: {} }, { id: 'w', kind: 'window', params: window }],
    edges: [{ from: 'src', to: 'r' }, { from: 'r', to: 'u', fromPort: 'hot' }, { from: 'r', to: 'u', fromPort: 'default' }, { from: 'u', to: 'w' }],
  } as unknown as PipelineDocument;
  return {
    format: 'eddy/pipeline@1', name: 'pre-aggregate', settings: { parallelism },
    nodes: [
      { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '300ms' } } },
      { id: 's', kind: 'score', params: SCORE }, // runs in the subtasks: the window's input crosses an exchange
      { id: 'w', kind: 'window', params: window },
    ],
    edges: [{ from: 'src', to: 's' }, { from: 's', to: 'w' }],
  } as unknown as PipelineDocument;
}

// Values the partials take (finite numbers) and ones they leave as records (±0, NULL, a forged
// marker); event time out of order, some far behind. (Text mixed with numbers in one min/max is
// refused either way, but in a partial the dead letter names the partial: docs/parallelism.md.)
const value = fc.oneof({ arbitrary: fc.integer({ min: -50, max: 50 }), weight: 6 },
  { arbitrary: fc.constantFrom(0.1, 0.2, 0.7, 1e-9, -0), weight: 2 }, { arbitrary: fc.constant(null), weight: 1 });
const events = fc.array(fc.record({
  step: fc.integer({ min: 0, max: 60 }), back: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 200 }), weight: 8 }, { arbitrary: fc.integer({ min: 200, max: 4000 }), weight: 1 }),
  k: fc.constantFrom('hot', 'hot', 'hot', 'a', 'b', 'c'), v: value, forged: fc.boolean({ probability: 0.02 }),
}), { minLength: 1, maxLength: 300 }).map((specs) => {
  let now = 10_000;
  return specs.map(({ step, back, k, v, forged }) => ({ ts: (now += step) - back, k, v, ...(forged && { [PARTIAL]: { start: 0, key: [k], accs: [1e6], n: 9 } }) }));
});
const windows = fc.constantFrom<Partial<ParamsOf<'window'>>[]>(
  [{ size: '1s', aggregates: [{ name: 'n', fn: 'count' }, { name: 'lo', fn: 'min', field: 'v' }, { name: 'hi', fn: 'max', field: 'v' }] }],
  [{ type: 'sliding', size: '1s', slide: '250ms', aggregates: [{ name: 'n', fn: 'count', field: 'v' }, { name: 'hi', fn: 'max', field: 'v' }] }],
  [{ size: '500ms', keyBy: [], allowedLateness: '1s', emit: 'updates', aggregates: [{ name: 'n', fn: 'count' }, { name: 'lo', fn: 'min', field: 'v' }] }],
  [{ type: 'sliding', size: '1s', slide: '500ms', allowedLateness: '800ms', aggregates: [{ name: 'n', fn: 'count' }, { name: 'hi', fn: 'max', field: 'v' }] }],
  // Counts only: pre-aggregated, and the records not combined cross as the fields read (projectable).
  [{ type: 'sliding', size: '1s', slide: '250ms', aggregates: [{ name: 'n', fn: 'count' }] }],
  [{ size: '500ms', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }] }], // no key: only the event times cross
  // Not pre-aggregated (sum): the records cross as they are; the same answers all the same.
  [{ size: '1s', aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'v' }] }],
).map(([w]) => w);

const canonical = (outputs: Record<string, Record<string, unknown>[]>) =>
  Object.fromEntries(Object.entries(outputs).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()]));

describe('window pre-aggregation gives the single thread\'s answers (property)', () => {
  it('rows, late records, dead letters and the window\'s figures equal parallelism 1, any batch boundaries, both modes, read in pieces or whole', async () => {
    await fc.assert(fc.asyncProperty(
      events, windows, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 4 }),
      fc.constantFrom('native', 'microbatch') as fc.Arbitrary<'native' | 'microbatch'>, fc.constantFrom('pieces', 'host') as fc.Arbitrary<'pieces' | 'host'>,
      async (evs, window, inputChunkSize, parallelism, mode, topology) => {
        const options = { mode, inputChunkSize, batchIntervalMs: 2 };
        const single = await runPipeline(doc(params(window), 1, topology), { src: evs }, options);
        const parallel = await runPipeline(doc(params(window), parallelism, topology), { src: evs }, options);
        expect(canonical(parallel.outputs)).toEqual(canonical(single.outputs));
        const letters = (r: typeof single) => r.deadLetters.map((d) => `${d.nodeId} ${d.reason} ${JSON.stringify(d.record)}`).sort();
        expect(letters(parallel)).toEqual(letters(single));
        const figures = (r: typeof single) => { const m = r.metrics.nodes.w; return [m.recordsIn, m.recordsOut, m.lateRecords, m.errors]; };
        expect(figures(parallel)).toEqual(figures(single));
      }), { numRuns: Number(process.env.RUNS ?? 10), endOnFailure: true, ...(process.env.SEED && { seed: Number(process.env.SEED), path: process.env.FC_PATH }) });
  }, 120_000);
});
