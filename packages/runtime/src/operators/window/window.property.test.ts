import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runPipeline } from '../../harness/run-pipeline.js';

/**
 * For random out-of-order inputs, the engine's windows equal a small independent
 * reference written from the definitions in docs/time.md — in both modes.
 */
interface Ev { ts: number; k: string; v: number }

function reference(events: Ev[], size: number, slide: number, ooo: number) {
  let maxTs = -Infinity;
  const windows = new Map<string, { window_start: number; window_end: number; k: string; n: number; total: number }>();
  const late: Ev[] = [];
  for (const e of events) {
    const wm = maxTs - ooo - 1; // watermark before this record
    const starts: number[] = [];
    for (let s = Math.floor(e.ts / slide) * slide; s > e.ts - size; s -= slide) starts.push(s);
    const open = starts.filter((s) => s + size - 1 > wm);
    if (!open.length) late.push(e);
    for (const s of open) {
      const id = `${s}|${e.k}`;
      const w = windows.get(id) ?? { window_start: s, window_end: s + size, k: e.k, n: 0, total: 0 };
      w.n++;
      w.total += e.v;
      windows.set(id, w);
    }
    maxTs = Math.max(maxTs, e.ts);
  }
  return { rows: [...windows.values()], late };
}

const sorted = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const pipeline = (size: number, slide: number, ooo: number) => ({
  format: 'eddy/pipeline@1', name: 'prop',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: `${ooo}ms` } } },
    { id: 'w', kind: 'window', params: { type: size === slide ? 'tumbling' : 'sliding', size: `${size}ms`,
      ...(size !== slide && { slide: `${slide}ms` }), keyBy: ['k'],
      aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'v' }] } },
  ],
  edges: [{ from: 'src', to: 'w' }],
});

const events = fc.array(
  fc.record({ ts: fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 40 }).map((x) => x * 500)), k: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: -5, max: 5 }) }),
  { minLength: 1, maxLength: 120 },
);

describe('windows against the reference', () => {
  it('tumbling and sliding windows, both modes', async () => {
    await fc.assert(
      fc.asyncProperty(events, fc.constantFrom(1000, 2000, 5000), fc.constantFrom(1, 2, 4), fc.integer({ min: 0, max: 3000 }),
        async (evs, size, slidesPerWindow, ooo) => {
          const slide = size / slidesPerWindow;
          const expected = reference(evs, size, slide, ooo);
          const doc = pipeline(size, slide, ooo);
          for (const mode of ['native', 'microbatch'] as const) {
            const r = await runPipeline(doc, { src: evs }, { mode, batchIntervalMs: 5, inputChunkSize: 7 });
            expect(sorted(r.outputs.w ?? [])).toEqual(sorted(expected.rows));
            expect(r.outputs['w.late'] ?? []).toEqual(expected.late);
          }
        }),
      { numRuns: 60 },
    );
  });
});
