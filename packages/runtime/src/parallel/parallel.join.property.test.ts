import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PipelineDocument } from '@eddy/shared';
import { runPipeline } from '../harness/run-pipeline.js';
import { planParallel } from './plan.js';

/**
 * A join fed by one source read in pieces (NEXMark q8's shape: a route splits one stream into
 * the join's two sides): both sides reach each subtask's join through one merge by source
 * position (plan.mergedInputs), so the join meets them in the reader's order and gives the
 * rows of parallelism 1 — late records (dropped) included, since which records are late
 * depends on that order. Random out-of-order events with records far behind, random batch
 * boundaries and parallelism, both modes, interval and window joins, inner and left.
 */
interface Ev { ts: number; side: 'l' | 'r'; k: string; v: number }

const doc = (ooo: number, join: Record<string, unknown>, parallelism: number) => ({
  format: 'eddy/pipeline@1', name: 'parallel-join-property', settings: { parallelism },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: `${ooo}ms` } } },
    { id: 'sides', kind: 'route', params: { routes: [{ port: 'l', where: "side = 'l'" }, { port: 'r', where: "side = 'r'" }] } },
    { id: 'j', kind: 'join', params: { leftKey: 'k', rightKey: 'k', ...join } },
  ],
  edges: [{ from: 'src', to: 'sides' }, { from: 'sides', fromPort: 'l', to: 'j', toPort: 'left' }, { from: 'sides', fromPort: 'r', to: 'j', toPort: 'right' }],
});

const key = fc.oneof({ arbitrary: fc.constant('hot'), weight: 3 }, { arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e'), weight: 4 });
const events = fc.array(
  fc.record({ step: fc.integer({ min: 0, max: 120 }), back: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 300 }), weight: 8 }, { arbitrary: fc.integer({ min: 300, max: 5000 }), weight: 1 }),
    side: fc.constantFrom('l', 'r') as fc.Arbitrary<'l' | 'r'>, k: key, v: fc.integer({ min: 0, max: 9 }) }),
  { minLength: 1, maxLength: 300, size: 'max' },
).map((specs) => {
  let now = 10_000;
  return specs.map(({ step, back, side, k, v }): Ev => ({ ts: (now += step) - back, side, k, v }));
});
const chunks = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8, size: 'max' });
const joins = fc.constantFrom<Record<string, unknown>>(
  { type: 'inner', within: '400ms' }, { type: 'left', within: '250ms' }, { type: 'inner', window: '1s' }, { type: 'left', window: '500ms' },
);

const canonical = (outputs: Record<string, Record<string, unknown>[]>) =>
  Object.fromEntries(Object.entries(outputs).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()]));

describe('parallelism: a join fed by one source read in pieces (property)', () => {
  it('reads the source in pieces; both sides of the join come through one merge in each subtask', () => {
    const plan = planParallel(doc(0, { within: '1s' }, 2) as unknown as PipelineDocument, ['src', 'sides', 'j'], 2);
    expect(plan.splitSources).toEqual(['src']);
    expect(plan.mergedInputs).toEqual(['j']);
    expect(plan.edges.map((e) => `${e.edge.from}→${e.edge.to} ${e.route}`)).toEqual(['src→sides local', 'sides→j hash', 'sides→j hash']);
  });

  it('gives the rows of the parallelism-1 run', async () => {
    await fc.assert(fc.asyncProperty(
      events, chunks, fc.integer({ min: 2, max: 4 }), fc.constantFrom('native', 'microbatch') as fc.Arbitrary<'native' | 'microbatch'>,
      fc.constantFrom(0, 200), joins,
      async (evs: Ev[], inputChunkSize, parallelism, mode, ooo, join) => {
        const options = { mode, inputChunkSize, batchIntervalMs: 2 };
        const single = await runPipeline(doc(ooo, join, 1), { src: evs }, options);
        const parallel = await runPipeline(doc(ooo, join, parallelism), { src: evs }, options);
        expect(parallel.state).toBe('finished');
        expect(canonical(parallel.outputs)).toEqual(canonical(single.outputs));
        // The late records the join dropped, counted alike.
        expect(parallel.metrics.nodes.j.lateRecords).toBe(single.metrics.nodes.j.lateRecords);
      }), { numRuns: Number(process.env.RUNS ?? 12), endOnFailure: true }); // no shrinking: each run starts threads
  }, 120_000);
});
