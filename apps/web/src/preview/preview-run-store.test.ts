import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument, PreviewResult } from '@eddy/shared';
import { captureKey, pickedRecords, previewStatus, rowsLabel, usePreviewRun } from './preview-run-store';
import { moveNode, useEditor } from '../state/editor-store';

const doc = {
  format: 'eddy/pipeline@1', name: 'p', settings: {},
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { limit: 10 }, ui: { x: 0, y: 0 } },
    { id: 'keep', kind: 'filter', params: { where: 'price > 1' }, ui: { x: 300, y: 0 } },
  ],
  edges: [{ from: 'gen', to: 'keep' }],
} as unknown as PipelineDocument;

const result: PreviewResult = {
  state: 'finished', error: null, ranMs: 1234, deadLetters: [],
  edges: [{ from: 'gen', fromPort: 'out', to: 'keep', toPort: 'in', count: 10, records: [{ a: 1 }] }],
  sinks: { out: { kind: 'sink.file', count: 4, records: [{ b: 2 }] } },
};

/** The store as a finished run leaves it (without asking the server). */
const ranOn = (d: PipelineDocument) => usePreviewRun.setState({ result, ranOn: d, byEdge: { [captureKey(result.edges[0])]: result.edges[0] } });

describe('the preview run store', () => {
  beforeEach(() => { useEditor.getState().load(doc, null, null); ranOn(doc); });

  it('keys edges as the canvas does and finds the picked records', () => {
    const { byEdge } = usePreviewRun.getState();
    expect(Object.keys(byEdge)).toEqual(['gen:out->keep:in']);
    expect(pickedRecords(result, byEdge, 'edge:gen:out->keep:in')).toEqual([{ a: 1 }]);
    expect(pickedRecords(result, byEdge, 'sink:out')).toEqual([{ b: 2 }]);
    expect(pickedRecords(result, byEdge, 'sink:nope')).toEqual([]);
    expect(pickedRecords(null, byEdge, 'sink:out')).toEqual([]);
  });

  it('says how the run ended, and counts rows', () => {
    expect(previewStatus(false, result)).toBe('Sources ran out after 1.2 s — no sink was written');
    expect(previewStatus(true, null)).toMatch(/^Running/);
    expect([rowsLabel(1), rowsLabel(1200)]).toEqual(['1 row', '1,200 rows']);
  });

  it('a move or a rename keeps the preview; an edit that changes what runs clears it', () => {
    useEditor.getState().change((d) => moveNode(d, 'keep', 500, 40));
    useEditor.getState().change((d) => ({ ...d, name: 'renamed' }));
    expect(usePreviewRun.getState().result).toBe(result);
    useEditor.getState().change((d) => ({ ...d, nodes: d.nodes.map((n) => (n.id === 'keep' ? { ...n, params: { where: 'price > 2' } } : n)) }));
    expect(usePreviewRun.getState().result).toBeNull();
    expect(usePreviewRun.getState().byEdge).toEqual({});
  });

  it('opening another document clears it', () => {
    useEditor.getState().load(doc, 'other', 1);
    expect(usePreviewRun.getState().result).toBeNull();
  });
});
