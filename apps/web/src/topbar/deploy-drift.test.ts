import { describe, expect, it } from 'vitest';
import { parsePipeline, sameBehaviour, type PipelineDocument } from '@eddy/shared';
import { deployDiff, withDefaults } from './deploy-drift';

// As a user's file may say it: params without their defaults, no settings.
const imported = {
  format: 'eddy/pipeline@1', name: 'Imported',
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { limit: 100 }, ui: { x: 0, y: 0 } },
    { id: 'out', kind: 'sink.file', params: { path: 'x.jsonl' }, ui: { x: 300, y: 0 } },
  ],
  edges: [{ from: 'gen', to: 'out' }],
} as unknown as PipelineDocument;

describe('deploy drift', () => {
  it('the stored copy (defaults filled in) and the imported canvas run the same', () => {
    const stored = parsePipeline(imported); // what the server keeps
    expect(stored.nodes[1].params.format).toBe('jsonl');
    expect(sameBehaviour(deployDiff(stored, imported))).toBe(true);
  });

  it('a real edit still counts, one that only spells out a default does not', () => {
    const stored = parsePipeline(imported);
    const edited = { ...imported, nodes: [imported.nodes[0], { ...imported.nodes[1], params: { path: 'x.jsonl', format: 'csv' } }] };
    expect(deployDiff(stored, edited).nodes.changed).toEqual([{ id: 'out', fields: ['params.format'] }]);
    const spelled = { ...imported, nodes: [imported.nodes[0], { ...imported.nodes[1], params: { path: 'x.jsonl', format: 'jsonl' } }] };
    expect(sameBehaviour(deployDiff(stored, spelled))).toBe(true);
  });

  it('keeps a node whose params do not parse as it is, so an invalid canvas still compares', () => {
    const broken = { ...imported, nodes: [imported.nodes[0], { ...imported.nodes[1], params: { path: 42 } }] } as unknown as PipelineDocument;
    expect(withDefaults(broken).nodes[1].params).toEqual({ path: 42 });
    expect(deployDiff(parsePipeline(imported), broken).nodes.changed[0].id).toBe('out');
  });
});
