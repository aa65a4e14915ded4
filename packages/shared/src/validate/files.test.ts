import { describe, expect, it } from 'vitest';
import { kinds } from '../catalog/index.js';
import { parsePipeline } from './validate.js';
import { documentFiles } from './files.js';

describe('files a document names', () => {
  // The server and the command line check only the files a kind declares: a param that names a
  // file but is not declared would escape the allowed folders.
  it('every kind declares each param that names a file', () => {
    const checked: string[] = [];
    for (const def of kinds) {
      const shape = (def.params as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } });
      const keys = Object.keys(shape.shape ?? shape.def?.in?.shape ?? {});
      const defaults = def.defaults as Record<string, unknown>;
      const fileParams = keys.filter((k) => /path|file|model/i.test(k) && ['string', 'undefined'].includes(typeof defaults[k]));
      for (const k of fileParams) {
        const params = { ...(def.defaults as object), [k]: 'probe.jsonl' };
        const declared = (def.files?.(params) ?? []).map((f) => f.path.join('.'));
        expect({ kind: def.kind, param: k, declared: declared.includes(k) }).toEqual({ kind: def.kind, param: k, declared: true });
        checked.push(`${def.kind}.${k}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['source.file.path', 'sink.file.path', 'lookup.path']));
  });

  it('lists each file with its node, JSON path and access', () => {
    const doc = parsePipeline({
      format: 'eddy/pipeline@1', name: 'f',
      nodes: [
        { id: 'src', kind: 'source.file', params: { path: 'in.jsonl' } },
        { id: 'l', kind: 'lookup', params: { store: 'memory', path: 'table.csv', keyField: 'id', key: 'id' } },
        { id: 'out', kind: 'sink.file', params: { path: 'out/rows.jsonl' } },
        { id: 'm', kind: 'score', params: { features: [{ name: 'x', expr: 'id' }], model: { type: 'onnx', path: 'models/m.onnx' } } },
        { id: 'log', kind: 'sink.log', params: {} },
      ],
      edges: [{ from: 'src', to: 'l' }, { from: 'l', to: 'out' }, { from: 'l', to: 'm' }, { from: 'm', to: 'log' }],
    });
    expect(documentFiles(doc)).toEqual([
      { nodeId: 'src', kind: 'source.file', path: 'nodes[0].params.path', file: 'in.jsonl', access: 'read' },
      { nodeId: 'l', kind: 'lookup', path: 'nodes[1].params.path', file: 'table.csv', access: 'read' },
      { nodeId: 'out', kind: 'sink.file', path: 'nodes[2].params.path', file: 'out/rows.jsonl', access: 'write' },
      { nodeId: 'm', kind: 'score', path: 'nodes[3].params.model.path', file: 'models/m.onnx', access: 'read' },
    ]);
  });
});
