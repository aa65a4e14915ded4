import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../harness/run-pipeline.js';

// An embedder's tap that names the fields it reads (`tapFields`, as a sink's schema names its
// columns) gets them, and only them, from the subtasks: the rest of each record stays there.
describe('tapFields', { timeout: 60_000 }, () => {
  const doc = (parallelism: number) => ({
    format: 'eddy/pipeline@1', name: 'tap-fields', settings: { parallelism },
    nodes: [
      { id: 'src', kind: 'source.file', params: { path: 'events.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' } } },
      { id: 's', kind: 'score', params: { features: [{ name: 'p', expr: 'price' }], model: { type: 'linear', weights: { p: 2 }, intercept: 1 }, output: 'score' } },
    ],
    edges: [{ from: 'src', to: 's' }],
  });
  const events = Array.from({ length: 9000 }, (_, i) => ({
    ts: 1_700_000_000_000 + i, price: (i * 37) % 101, page: `/p/${i % 13}`, ...(i % 7 === 0 ? {} : { user: { id: i % 50 } }),
  }));
  const lines = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
  const cut = (r: Record<string, unknown>) => Object.fromEntries(['score', 'user'].filter((f) => f in r).map((f) => [f, r[f]]));

  it('cuts each tapped record to those fields at parallelism 2 and 3 (a field a record lacks stays absent), from the rows of one thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-tap-fields-'));
    writeFileSync(join(dir, 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const one = await runPipeline(doc(1), {}, { baseDir: dir, tapNodes: ['s.out'], tapFields: ['score', 'user'] });
    expect(one.outputs.s).toHaveLength(events.length);
    expect(one.outputs.s[0]).toHaveProperty('page'); // one thread: nothing crosses, the tap gets whole records
    for (const mode of ['native', 'microbatch'] as const) {
      for (const p of [2, 3]) {
        const many = await runPipeline(doc(p), {}, { mode, baseDir: dir, tapNodes: ['s.out'], tapFields: ['score', 'user'] });
        expect(lines(many.outputs.s), `${mode}, parallelism ${p}`).toEqual(lines(one.outputs.s.map(cut)));
        expect(many.outputs.s.filter((r) => !('user' in r))).toHaveLength(Math.ceil(events.length / 7));
      }
    }
    // Sampled (the designer's edge samples): only the records kept are cut, and they are.
    const sampled = await runPipeline(doc(2), {}, { baseDir: dir, tapNodes: ['s.out'], tapFields: ['score', 'user'], tapSample: 20 });
    const whole = new Set(lines(one.outputs.s.map(cut)));
    expect(sampled.outputs.s.length).toBeGreaterThan(0);
    for (const r of sampled.outputs.s) expect(whole.has(JSON.stringify(r)), JSON.stringify(r)).toBe(true);
  });
});
