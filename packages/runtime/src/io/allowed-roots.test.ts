import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PipelineValidationError } from '@eddy/shared';
import { checkFile, checkFilePaths, fileRootsFromEnv } from './allowed-roots.js';
import { createJob } from '../api.js';

const top = mkdtempSync(join(tmpdir(), 'eddy-roots-'));
const base = join(top, 'data');
const extra = join(top, 'shared-files');
const outside = join(top, 'elsewhere');
for (const d of [base, extra, outside]) mkdirSync(d);
writeFileSync(join(base, 'events.jsonl'), '{"a":1}\n');
writeFileSync(join(outside, 'private.jsonl'), '{"secret":1}\n');
symlinkSync(join(outside, 'private.jsonl'), join(base, 'link-out.jsonl'));
symlinkSync(outside, join(base, 'dir-out'));
symlinkSync(join(base, 'events.jsonl'), join(base, 'link-in.jsonl'));
symlinkSync(join(outside, 'not-yet.jsonl'), join(base, 'dangling.jsonl'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

const policy = { baseDir: base, roots: [extra] };

describe('allowed folders', () => {
  it('allows files inside the base folder or a listed root, existing or not yet', () => {
    expect(checkFile('events.jsonl', policy)).toEqual({ ok: true, path: join(base, 'events.jsonl') });
    expect(checkFile('new/folder/out.jsonl', policy).ok).toBe(true);
    expect(checkFile(join(extra, 'x.csv'), policy).ok).toBe(true);
    expect(checkFile('link-in.jsonl', policy).ok).toBe(true);
  });

  it.each([
    ['/etc/passwd'], ['/proc/self/environ'], ['../elsewhere/private.jsonl'], ['sub/../../elsewhere/x.jsonl'],
    [join(outside, 'private.jsonl')], ['link-out.jsonl'], ['dir-out/private.jsonl'], ['dir-out/new.jsonl'],
  ])('refuses %s, naming the allowed folders', (file) => {
    const v = checkFile(file, policy);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toContain('outside the folders Eddy may use');
    expect(!v.ok && v.reason).toContain(base);
    expect(!v.ok && v.reason).toContain('EDDY_FILE_ROOTS');
  });

  it('refuses a dangling symbolic link (writing through it would create its target elsewhere)', () => {
    const v = checkFile('dangling.jsonl', policy);
    expect(v.ok).toBe(false);
    expect(!v.ok && v.reason).toContain('symbolic link to nothing');
  });

  it('reads EDDY_FILE_ROOTS as a path-delimited list', () => {
    expect(fileRootsFromEnv({ EDDY_FILE_ROOTS: `${extra}:${outside}:` })).toEqual([extra, outside]);
    expect(fileRootsFromEnv({})).toEqual([]);
  });
});

const doc = (nodes: object[], edges: object[]) => ({ format: 'eddy/pipeline@1', name: 'files', nodes, edges });
const reading = (path: string) => doc(
  [{ id: 'src', kind: 'source.file', params: { path } }, { id: 'log', kind: 'sink.log', params: {} }],
  [{ from: 'src', to: 'log' }],
);

describe('documents naming files', () => {
  it('every file param outside the allowed folders is a validation error naming the node and the JSON path', () => {
    const d = doc([
      { id: 'src', kind: 'source.file', params: { path: '/etc/passwd' } },
      { id: 'enrich', kind: 'lookup', params: { store: 'memory', path: '../elsewhere/private.jsonl', keyField: 'id', key: 'id' } },
      { id: 'out', kind: 'sink.file', params: { path: 'link-out.jsonl' } },
    ], [{ from: 'src', to: 'enrich' }, { from: 'enrich', to: 'out' }]);
    let error: unknown;
    try { createJob(d, { baseDir: base, fileRoots: [extra] }); } catch (err) { error = err; }
    expect(error).toBeInstanceOf(PipelineValidationError);
    const issues = (error as PipelineValidationError).errors;
    expect(issues.map((i) => [i.code, i.nodeId, i.path])).toEqual([
      ['path_not_allowed', 'src', 'nodes[0].params.path'],
      ['path_not_allowed', 'enrich', 'nodes[1].params.path'],
      ['path_not_allowed', 'out', 'nodes[2].params.path'],
    ]);
  });

  it('a file allowed at validation but swapped for a link out before the job opens it fails the job, naming the node', async () => {
    writeFileSync(join(base, 'swap.jsonl'), '{"a":1}\n');
    const job = createJob(reading('swap.jsonl'), { baseDir: base, fileRoots: [], log: () => {} });
    rmSync(join(base, 'swap.jsonl'));
    symlinkSync(join(outside, 'private.jsonl'), join(base, 'swap.jsonl'));
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toContain('outside the folders Eddy may use');
    expect(job.metrics().nodes.log.recordsIn).toBe(0);
  });

  it('checkFilePaths passes a document whose files are all inside', () => {
    expect(checkFilePaths(createJob(reading('events.jsonl'), { baseDir: base, fileRoots: [] }).document, policy)).toEqual([]);
  });
});
