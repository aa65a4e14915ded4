import { describe, expect, it } from 'vitest';
import { runPipeline } from '../harness/run-pipeline.js';
import type { Rec } from './batch.js';
import { cutAt, MAX_RECORD_DEPTH, nestsDeeperThan } from './record-depth.js';

/** { v: { v: … { v: 1 } } } with `levels` objects in all. */
function nested(levels: number, makeArray = false): Rec {
  let v: unknown = 1;
  for (let i = 1; i < levels; i++) v = makeArray ? [v] : { v };
  return { id: 'deep', v };
}

describe('record depth', () => {
  it('measures nesting without recursion', () => {
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: { b: 1 } }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
    expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(nestsDeeperThan(nested(64), 64)).toBe(false);
    expect(nestsDeeperThan(nested(65), 64)).toBe(true);
    expect(nestsDeeperThan(nested(200_000), 64)).toBe(true);
    expect(nestsDeeperThan(nested(200_000, true), 64)).toBe(true);
  });

  it('cuts a copy at the limit', () => {
    expect(cutAt({ a: { b: { c: 1 } }, x: 2 }, 2)).toEqual({ a: { b: `[nested deeper than ${MAX_RECORD_DEPTH} levels]` }, x: 2 });
  });

  for (const mode of ['native', 'microbatch'] as const) {
    it(`${mode}: a record nested 5000 deep is a dead letter with the reason; the others pass`, async () => {
      const doc = {
        format: 'eddy/pipeline@1', name: 'deep',
        nodes: [
          { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts' } } },
          { id: 'f', kind: 'filter', params: { where: 'true' } },
        ],
        edges: [{ from: 'src', to: 'f' }],
      };
      const r = await runPipeline(doc, {
        src: [{ ts: 1, id: 'a' }, { ...nested(5000), ts: 2 }, { ...nested(64), ts: 3, id: 'edge' }, { ...nested(5000, true), ts: 4 }, { ts: 5, id: 'b' }],
      }, { mode, batchIntervalMs: 5 });
      expect(r.outputs.f.map((x) => x.id)).toEqual(['a', 'edge', 'b']);
      expect(r.deadLetters.map((d) => [d.nodeId, d.reason])).toEqual([
        ['src', 'The record nests deeper than 64 levels'], ['src', 'The record nests deeper than 64 levels'],
      ]);
      // What the dashboard gets can be encoded (it is cut at the limit).
      expect(() => JSON.stringify(r.deadLetters)).not.toThrow();
      expect(nestsDeeperThan(r.deadLetters[0].record, MAX_RECORD_DEPTH)).toBe(false);
      expect(r.deadLetters[0].record).toMatchObject({ id: 'deep', ts: 2 });
    });
  }

  it('all records too deep: nothing enters, the source still finishes', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'deep-only',
      nodes: [{ id: 'src', kind: 'source.file', params: { path: 'unused.jsonl' } }, { id: 'f', kind: 'filter', params: { where: 'true' } }],
      edges: [{ from: 'src', to: 'f' }],
    };
    const r = await runPipeline(doc, { src: [nested(100), nested(100)] });
    expect(r.outputs.f ?? []).toEqual([]);
    expect(r.deadLetters).toHaveLength(2);
    expect(r.state).toBe('finished');
  });
});
