import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-lookup-'));

const doc = (path: string) => ({
  format: 'eddy/pipeline@1', name: 'lookup-csv',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl' } },
    { id: 'l', kind: 'lookup', params: { store: 'memory', path, keyField: 'id', key: 'k', fields: ['label'], onMiss: 'null' } },
  ],
  edges: [{ from: 'src', to: 'l' }],
});

describe('memory lookup table from CSV', () => {
  it('an RFC 4180 table; a numeric cell key matches the number and its text, JSON rows keep 1 and "1" apart', async () => {
    writeFileSync(join(dir, 't.csv'), 'id,label\n42,"forty, two"\n7,"multi\nline"\nx1,plain\n');
    const r = await runPipeline(doc('t.csv'), { src: [{ k: 42 }, { k: '42' }, { k: 7 }, { k: 'x1' }, { k: 43 }, { k: null }] }, { baseDir: dir });
    expect(r.outputs.l.map((o) => o.label)).toEqual(['forty, two', 'forty, two', 'multi\nline', 'plain', null, null]);

    writeFileSync(join(dir, 't.jsonl'), '{"id":1,"label":"number"}\n{"id":"2","label":"string"}\n');
    const j = await runPipeline(doc('t.jsonl'), { src: [{ k: 1 }, { k: '1' }, { k: '2' }, { k: 2 }] }, { baseDir: dir });
    expect(j.outputs.l.map((o) => o.label)).toEqual(['number', null, 'string', null]);
  });
});
