import { describe, expect, it } from 'vitest';
import { canonicalJson, diffDocuments, sameBehaviour, summarizeDiff } from './diff.js';
import type { PipelineDocument } from './document.js';

const base = (): PipelineDocument => ({
  format: 'eddy/pipeline@1', name: 'p', settings: { mode: 'native', batchIntervalMs: 200, guarantee: 'at-least-once', checkpointIntervalMs: 5000, retainedCheckpoints: 3 } as PipelineDocument['settings'],
  nodes: [
    { id: 'gen', kind: 'source.generator', params: {}, ui: { x: 0, y: 0 } },
    { id: 'keep', kind: 'filter', params: { where: 'price > 1' }, ui: { x: 300, y: 0 } },
  ],
  edges: [{ from: 'gen', to: 'keep' }],
});

describe('diffDocuments', () => {
  it('names added, removed, changed and moved nodes and edges', () => {
    const a = base();
    const b = base();
    b.nodes[1] = { ...b.nodes[1], params: { where: 'price > 2' }, ui: { x: 320, y: 0 } };
    b.nodes.push({ id: 'live', kind: 'sink.live', params: {} });
    b.edges.push({ from: 'keep', to: 'live' });
    const d = diffDocuments(a, b);
    expect(d.nodes).toEqual({ added: ['live'], removed: [], changed: [{ id: 'keep', fields: ['params.where'] }], moved: ['keep'] });
    expect(d.edges.added).toEqual([{ from: 'keep', to: 'live' }]);
    expect(summarizeDiff(d)).toBe('added live; changed keep (params.where); 1 edge added; moved 1 node');
    expect(sameBehaviour(d)).toBe(false);
    expect(summarizeDiff(diffDocuments(b, a))).toBe('removed live; changed keep (params.where); 1 edge removed; moved 1 node');
  });

  it('a move alone keeps the behaviour', () => {
    const b = base();
    b.nodes[0] = { ...b.nodes[0], ui: { x: 5, y: 5 } };
    expect(sameBehaviour(diffDocuments(base(), b))).toBe(true);
    expect(summarizeDiff(diffDocuments(base(), base()))).toBe('no changes');
  });
});

describe('canonicalJson', () => {
  it('orders keys the same whatever order they were written in', () => {
    const shuffled = { edges: [{ to: 'keep', from: 'gen' }], nodes: [{ ui: { y: 0, x: 0 }, params: { b: 1, a: 2 }, kind: 'filter', id: 'keep' }], name: 'p', format: 'eddy/pipeline@1' };
    const text = canonicalJson(shuffled);
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(Object.keys(JSON.parse(text))).toEqual(['format', 'name', 'nodes', 'edges']);
    expect(text.indexOf('"id"')).toBeLessThan(text.indexOf('"kind"'));
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(text).toContain('\n  "name": "p"');
  });
});
