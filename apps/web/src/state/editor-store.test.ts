import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogEntry, PipelineDocument } from '@eddy/shared';
import { addNode, connect, emptyDocument, indexNodes, issuesByNode, moveNode, removeEdges, removeNodes, renameNode, setParams, uniqueId, useEditor } from './editor-store';

const doc = (): PipelineDocument => ({
  ...emptyDocument(),
  nodes: [
    { id: 'src', kind: 'source.generator', params: {}, ui: { x: 0, y: 0 } },
    { id: 'f', kind: 'filter', params: { where: 'true' }, ui: { x: 260, y: 0 } },
    { id: 'out', kind: 'sink.live', params: {}, ui: { x: 520, y: 0 } },
  ],
  edges: [{ from: 'src', to: 'f' }, { from: 'f', to: 'out' }],
});
const filterEntry = { kind: 'filter', defaults: { where: 'true' } } as unknown as CatalogEntry;

describe('document edits', () => {
  it('adds a node with a fresh id, its defaults copied', () => {
    const [next, id] = addNode(doc(), filterEntry, { x: 10.4, y: 20.6 });
    expect(id).toBe('filter');
    expect(next.nodes.at(-1)).toEqual({ id: 'filter', kind: 'filter', params: { where: 'true' }, ui: { x: 10, y: 21 } });
    expect(next.nodes.at(-1)!.params).not.toBe(filterEntry.defaults);
    expect(uniqueId(next, 'filter')).toBe('filter_2');
    expect(uniqueId(next, 'source.kafka')).toBe('source_kafka');
  });

  it('connects once, without default port names', () => {
    const d = connect(doc(), { from: 'src', fromPort: 'out', to: 'out', toPort: 'in' });
    expect(d.edges.at(-1)).toEqual({ from: 'src', to: 'out' });
    expect(connect(d, { from: 'src', to: 'out' })).toBe(d);
  });

  it('removes a node with every edge that touches it', () => {
    const d = removeNodes(doc(), ['f']);
    expect(d.nodes.map((n) => n.id)).toEqual(['src', 'out']);
    expect(d.edges).toEqual([]);
    expect(removeEdges(doc(), ['src:out->f:in']).edges).toEqual([{ from: 'f', to: 'out' }]);
  });

  it('renames a node and its edges; refuses a taken id', () => {
    const d = renameNode(doc(), 'f', 'views');
    expect(d.edges).toEqual([{ from: 'src', to: 'views' }, { from: 'views', to: 'out' }]);
    const base = doc();
    expect(renameNode(base, 'f', 'out')).toBe(base);
  });

  it('returns the same document when params do not change; moves round', () => {
    const base = doc();
    expect(setParams(base, 'f', { where: 'true' })).toBe(base);
    expect(setParams(base, 'f', { where: 'false' }).nodes[1].params).toEqual({ where: 'false' });
    expect(moveNode(base, 'out', 1.6, 2.2).nodes[2].ui).toEqual({ x: 2, y: 2 });
  });

  it('indexes nodes and issues per node once', () => {
    expect(Object.keys(indexNodes(doc()))).toEqual(['src', 'f', 'out']);
    expect(issuesByNode([
      { code: 'expression', message: 'a', path: 'nodes[1]', nodeId: 'f' },
      { code: 'expression', message: 'b', path: 'nodes[1]', nodeId: 'f' },
      { code: 'cycle', message: 'c', path: 'edges' },
    ] as never)).toEqual({ f: 'a\nb' });
  });
});

describe('undo steps', () => {
  beforeEach(() => useEditor.getState().load(doc(), 'p1', 1));

  it('one change is one step: a node goes with its edges and comes back with them', () => {
    useEditor.getState().change((d) => removeEdges(removeNodes(d, ['f']), ['src:out->f:in', 'f:out->out:in']));
    expect(useEditor.getState().doc.edges).toEqual([]);
    expect(useEditor.getState().dirty).toBe(true);
    useEditor.getState().undo();
    expect(useEditor.getState().doc).toEqual(doc());
    expect(useEditor.getState().past).toEqual([]);
    useEditor.getState().redo();
    expect(useEditor.getState().doc.nodes).toHaveLength(2);
  });

  it('typing in one field coalesces; another field is a new step', () => {
    const { change } = useEditor.getState();
    change((d) => ({ ...d, name: 'a' }), 'name');
    change((d) => ({ ...d, name: 'ab' }), 'name');
    change((d) => setParams(d, 'f', { where: 'false' }), 'params:f');
    expect(useEditor.getState().past).toHaveLength(2);
  });

  it('a drag is one step, taken at its first move; a click without a move takes none', () => {
    const s = useEditor.getState();
    s.checkpoint();
    expect(useEditor.getState().past).toHaveLength(0);
    s.checkpoint();
    s.changeQuietly((d) => moveNode(d, 'f', 300, 10));
    s.changeQuietly((d) => moveNode(d, 'f', 320, 20));
    expect(useEditor.getState().past).toHaveLength(1);
    expect(useEditor.getState().nodeIndex.f.ui).toEqual({ x: 320, y: 20 });
    useEditor.getState().undo();
    expect(useEditor.getState().doc.nodes[1].ui).toEqual({ x: 260, y: 0 });
  });

  it('keeps issues per node in step with the document', () => {
    useEditor.getState().change((d) => setParams(d, 'f', { where: 'nosuchfield > 1' }));
    expect(useEditor.getState().issuesByNode.f).toMatch(/nosuchfield/);
    useEditor.getState().undo();
    expect(useEditor.getState().issuesByNode.f).toBeUndefined();
  });
});
