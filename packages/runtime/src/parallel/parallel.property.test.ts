import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { PipelineDocument } from '@eddy/shared';
import { runPipeline } from '../harness/run-pipeline.js';
import { planParallel } from './plan.js';

/**
 * Data parallelism gives the single thread's answers: random out-of-order events over random
 * keys (one of them hot), random batch boundaries and a random parallelism, through a
 * score run in the subtasks, then a keyed tumbling window with allowed lateness and a late
 * port (several channels merged in watermark order), and a dedupe straight from the source
 * (read in pieces: a channel from every subtask too). Every node's rows (late records included) must equal the parallelism-1 run's.
 * A second property puts order-sensitive nodes (a dedupe, emit: updates) behind several
 * channels: records of one key with the same watermark must keep their source order there too.
 */
interface Ev { ts: number; k: string; v: number }

const SCORE = { features: [{ name: 'v', expr: 'v' }], model: { type: 'linear', weights: { v: 2 }, intercept: 1 }, output: 'score' };

const doc = (ooo: number, size: number, lateness: number, emit: 'final' | 'updates', parallelism: number, dedupeBehindScore = false) => ({
  format: 'eddy/pipeline@1', name: 'parallel-property', settings: { parallelism },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: `${ooo}ms` } } },
    // A score is not chained to its source: it runs in the subtasks, so the window and the
    // dedupe get one channel from each subtask and must merge them (the case under test).
    { id: 's', kind: 'score', params: SCORE },
    { id: 'w', kind: 'window', params: { type: 'tumbling', size: `${size}ms`, keyBy: ['k'], allowedLateness: `${lateness}ms`, emit,
      aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'v' }] } },
    { id: 'd', kind: 'dedupe', params: { key: 'k', within: '1500ms' } },
  ],
  edges: [{ from: 'src', to: 's' }, { from: 's', to: 'w' }, { from: dedupeBehindScore ? 's' : 'src', to: 'd' }],
});

// A hot key takes about half the events (skew: one subtask gets most of the work).
const key = fc.oneof({ arbitrary: fc.constant('hot'), weight: 4 }, { arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), weight: 4 });
// Event time moves forward with jitter (out of order within about the bound, sometimes
// beyond it) and now and then a record far behind: late for its window, or allowed late.
const events = fc.array(
  fc.record({ step: fc.integer({ min: 0, max: 150 }), back: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 300 }), weight: 8 }, { arbitrary: fc.integer({ min: 300, max: 6000 }), weight: 1 }),
    k: key, v: fc.integer({ min: -5, max: 5 }) }),
  { minLength: 1, maxLength: 400, size: 'max' },
).map((specs) => {
  let now = 10_000;
  return specs.map(({ step, back, k, v }): Ev => ({ ts: (now += step) - back, k, v }));
});
const chunks = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8, size: 'max' });

const canonical = (outputs: Record<string, Record<string, unknown>[]>) =>
  Object.fromEntries(Object.entries(outputs).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r)).sort()]));

describe('parallelism (property)', () => {
  it('reads the source in pieces: the score chained in each subtask, the window and the dedupe behind exchanges from every subtask', () => {
    const d = doc(0, 1000, 0, 'final', 3) as unknown as PipelineDocument;
    const plan = planParallel(d, ['src', 's', 'w', 'd'], 3);
    expect(plan.taskNodes).toEqual(['s', 'w', 'd']);
    expect(plan.edges.map((e) => `${e.edge.from}→${e.edge.to} ${e.from}→${e.to} ${e.route}`))
      .toEqual(['src→s task→task local', 's→w task→task hash', 'src→d task→task hash']);
  });

  it('gives the rows and late records of the parallelism-1 run', async () => {
    await fc.assert(fc.asyncProperty(
      events, chunks, fc.integer({ min: 1, max: 4 }), fc.constantFrom('native', 'microbatch') as fc.Arbitrary<'native' | 'microbatch'>,
      fc.constantFrom(0, 200, 1000), fc.constantFrom(1000, 2000, 5000), fc.constantFrom(0, 1500), fc.constant('final') as fc.Arbitrary<'final' | 'updates'>,
      async (evs: Ev[], inputChunkSize, parallelism, mode, ooo, size, lateness, emit) => {
        const options = { mode, inputChunkSize, batchIntervalMs: 2 };
        const single = await runPipeline(doc(ooo, size, lateness, emit, 1), { src: evs }, options);
        const parallel = await runPipeline(doc(ooo, size, lateness, emit, parallelism), { src: evs }, options);
        expect(canonical(parallel.outputs)).toEqual(canonical(single.outputs));
      }), { numRuns: Number(process.env.RUNS ?? 12), endOnFailure: true }); // no shrinking: each run starts threads
  }, 120_000);

  it('keeps the source order of equal-watermark records for order-sensitive nodes behind several channels (dedupe, emit: updates)', async () => {
    await fc.assert(fc.asyncProperty(
      events, chunks, fc.integer({ min: 2, max: 4 }), fc.constantFrom('native', 'microbatch') as fc.Arbitrary<'native' | 'microbatch'>,
      fc.constantFrom(0, 1000), fc.constantFrom(1000, 2000), fc.constantFrom(0, 1500),
      async (evs: Ev[], inputChunkSize, parallelism, mode, ooo, size, lateness) => {
        const options = { mode, inputChunkSize, batchIntervalMs: 2 };
        const single = await runPipeline(doc(ooo, size, lateness, 'updates', 1, true), { src: evs }, options);
        const parallel = await runPipeline(doc(ooo, size, lateness, 'updates', parallelism, true), { src: evs }, options);
        expect(canonical(parallel.outputs)).toEqual(canonical(single.outputs));
      }), { numRuns: Number(process.env.RUNS ?? 10), endOnFailure: true });
  }, 120_000);
});
