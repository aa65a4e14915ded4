import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validatePipeline } from '@eddy/shared';
import { createJob } from '../api.js';
import { ownershipMarkerOf } from './file-ownership.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-own-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const doc = (path: string, guarantee: string, overwrite?: boolean) => ({
  format: 'eddy/pipeline@1', name: 'own', settings: { guarantee },
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { scenario: 'iot', limit: 3, ratePerSec: 0 } },
    { id: 'out', kind: 'sink.file', params: { path, ...(overwrite !== undefined && { overwrite }) } },
  ],
  edges: [{ from: 'gen', to: 'out' }],
});

async function run(path: string, guarantee: string, overwrite?: boolean) {
  const job = createJob(doc(path, guarantee, overwrite), { baseDir: dir, log: () => {} });
  await job.start();
  return job.done;
}
const lines = (file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n');

describe('sink.file does not replace a file it did not create', () => {
  for (const guarantee of ['exactly-once', 'at-least-once']) {
    it(`${guarantee}: a user's file is refused, untouched, with the way out`, async () => {
      writeFileSync(join(dir, `notes-${guarantee}.txt`), 'my notes\n');
      const outcome = await run(`notes-${guarantee}.txt`, guarantee);
      expect(outcome.state).toBe('failed');
      expect(outcome.error?.message).toContain("sink.file 'out'");
      expect(outcome.error?.message).toContain('was not written by an Eddy file sink');
      expect(outcome.error?.message).toContain('overwrite: true');
      expect(readFileSync(join(dir, `notes-${guarantee}.txt`), 'utf8')).toBe('my notes\n');
    });

    it(`${guarantee}: overwrite: true replaces it`, async () => {
      writeFileSync(join(dir, `old-${guarantee}.jsonl`), 'old\n');
      expect((await run(`old-${guarantee}.jsonl`, guarantee, true)).state).toBe('finished');
      expect(lines(`old-${guarantee}.jsonl`).map((l) => JSON.parse(l).device_id)).toHaveLength(3);
    });

    it(`${guarantee}: its own output is replaced by the next run; a new file put in its place is not`, async () => {
      const file = `own-${guarantee}.jsonl`;
      expect((await run(file, guarantee)).state).toBe('finished');
      expect(existsSync(ownershipMarkerOf(join(dir, file)))).toBe(true);
      expect((await run(file, guarantee)).state).toBe('finished');
      expect(lines(file)).toHaveLength(3);
      rmSync(join(dir, file));
      writeFileSync(join(dir, file), 'someone else\n'); // same name, another file: the marker does not cover it
      expect((await run(file, guarantee)).state).toBe('failed');
      expect(readFileSync(join(dir, file), 'utf8')).toBe('someone else\n');
    });
  }

  it("a sink's bookkeeping names are not valid targets", () => {
    for (const path of ['.out.jsonl.eddy', 'sub/.out.jsonl.parts']) {
      const v = validatePipeline(doc(path, 'exactly-once'));
      expect(v.errors).toEqual([expect.objectContaining({ nodeId: 'out', path: 'nodes[1].params.path' })]);
    }
  });
});
