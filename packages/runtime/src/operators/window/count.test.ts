import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';

/** `count` is SQL's COUNT: with a field, COUNT(field) counts non-NULL values; without, COUNT(*) counts rows. */
const doc = (type: 'tumbling' | 'session') => ({
  format: 'eddy/pipeline@1', name: 'count',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' } } },
    { id: 'w', kind: 'window', params: { type, ...(type === 'tumbling' ? { size: '10s' } : { gap: '5s' }), keyBy: ['k'],
      aggregates: [{ name: 'rows', fn: 'count' }, { name: 'vs', fn: 'count', field: 'v' }, { name: 'nested', fn: 'count', field: 'c.x' }] } },
  ],
  edges: [{ from: 'src', to: 'w' }],
});

// Rows of key a: 4; non-NULL v: 2 (null and a missing field are NULL); non-NULL c.x: 1.
const input = [
  { ts: 1000, k: 'a', v: 1, c: { x: 0 } },
  { ts: 2000, k: 'a', v: null, c: null },
  { ts: 3000, k: 'a', c: { x: null } },
  { ts: 4000, k: 'a', v: 0 },
  { ts: 5000, k: 'b', v: null },
];

describe('window count', () => {
  for (const type of ['tumbling', 'session'] as const) {
    for (const mode of ['native', 'microbatch'] as const) {
      it(`${type}, ${mode}: COUNT(*) counts rows, COUNT(field) non-NULL values`, async () => {
        const r = await runPipeline(doc(type), { src: input }, { mode, batchIntervalMs: 5 });
        const rows = (r.outputs.w ?? []).map(({ k, rows, vs, nested }) => ({ k, rows, vs, nested }));
        expect(rows.sort((x, y) => String(x.k).localeCompare(String(y.k)))).toEqual([
          { k: 'a', rows: 4, vs: 2, nested: 1 },
          { k: 'b', rows: 1, vs: 0, nested: 0 },
        ]);
      });
    }
  }
});
