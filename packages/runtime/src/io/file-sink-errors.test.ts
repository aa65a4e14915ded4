import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJob } from '../api.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';

const doc = (guarantee: string) => ({
  format: 'eddy/pipeline@1', name: 'file errors', settings: { guarantee, checkpointIntervalMs: 600_000 },
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 2000 } },
    { id: 'out', kind: 'sink.file', params: { path: 'o/out.jsonl' } },
  ],
  edges: [{ from: 'gen', to: 'out' }],
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}

// Someone deletes what a running file sink writes: the next checkpoint fails the job (naming
// the node and the file), never the process (an unhandled rejection would fail this file).
describe('sink.file: a deleted output file or parts folder fails the job, not the process', () => {
  const cases = [
    ['exactly-once', 'o/.out.jsonl.parts', '.out.jsonl.parts'],
    ['exactly-once', 'o/out.jsonl', 'o/out.jsonl no longer exists'],
    ['at-least-once', 'o/out.jsonl', 'o/out.jsonl no longer exists'],
  ] as const;
  for (const [guarantee, victim, says] of cases) {
    it(`${guarantee}: deleting ${victim}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'eddy-file-errors-'));
      const job = createJob(doc(guarantee), { baseDir: dir, checkpoints: new CheckpointStore(join(dir, 'checkpoints')), log: () => {} });
      await job.start();
      await until(() => (job.metrics().nodes.out?.recordsIn ?? 0) > 0);
      rmSync(join(dir, victim), { recursive: true, force: true });
      await job.checkpoint();
      const outcome = await job.done;
      expect(outcome.state).toBe('failed');
      expect(outcome.error?.message).toContain("sink.file 'out'");
      expect(outcome.error?.message).toContain(says);
      expect(outcome.error?.message).toContain('deleted or moved while the pipeline ran');
      rmSync(dir, { recursive: true, force: true });
    });
  }
});
