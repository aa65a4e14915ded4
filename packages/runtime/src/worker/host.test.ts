// The worker host runs the compiled entry (dist/worker/entry.js): build with `npx tsc -b` first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineValidationError } from '@eddy/shared';
import { createJob } from '../api.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import { IngestError } from '../core/source.js';
import { createWorkerJob, type WorkerJobHandle } from './host.js';
import { prewarmJobThreads } from './pool.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'eddy-worker-'));
  dirs.push(d);
  return d;
};
const jobs: WorkerJobHandle[] = [];
afterEach(async () => {
  await Promise.all(jobs.splice(0).map((j) => j.stop()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const track = (job: WorkerJobHandle) => { jobs.push(job); return job; };

const doc = (nodes: unknown[], edges: unknown[], settings: Record<string, unknown> = {}) =>
  ({ format: 'eddy/pipeline@1', name: 't', settings, nodes, edges });

/** Views per country in 1 s windows of generated clicks, to a file and a live table. */
const viewsPerCountry = (limit: number, ratePerSec = 0) => doc([
  { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec, limit, seed: 3, startTime: 0 } },
  { id: 'w', kind: 'window', params: { size: '1s', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] } },
  { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl' } },
  { id: 'live', kind: 'sink.live', params: { maxRows: 10_000 } },
], [{ from: 'clicks', to: 'w' }, { from: 'w', to: 'out' }, { from: 'w', to: 'live' }]);

const sortedLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).sort();

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`Timed out waiting for ${what}`);
}

describe('createWorkerJob', () => {
  it('refuses an invalid document on the calling thread, like createJob', () => {
    expect(() => createWorkerJob({ format: 'eddy/pipeline@1', name: 'x', nodes: [{ id: 'a', kind: 'nope' }], edges: [] }, { baseDir: '.' }))
      .toThrow(PipelineValidationError);
  });

  it('gives the in-process job\'s output, metrics and rows', async () => {
    const inProcess = tempDir();
    const reference = createJob(viewsPerCountry(20_000), { baseDir: inProcess });
    await reference.start();
    expect((await reference.done).state).toBe('finished');

    const dir = tempDir();
    const published: number[] = [];
    const job = track(createWorkerJob(viewsPerCountry(20_000), { baseDir: dir, onRows: (_id, _rows, total) => published.push(total) }));
    expect(job.metrics().nodes.clicks.recordsOut).toBe(0);
    await job.start();
    expect(await job.done).toEqual({ state: 'finished' });
    expect(job.state).toBe('finished');
    expect(sortedLines(join(dir, 'out.jsonl'))).toEqual(sortedLines(join(inProcess, 'out.jsonl')));
    // The final snapshot arrives before done: the figures are complete.
    expect(job.metrics().nodes.clicks.recordsOut).toBe(20_000);
    expect(job.metrics().nodes.w.recordsOut).toBe(reference.metrics().nodes.w.recordsOut);
    expect(job.nodeMetrics('live')?.recordsIn).toBe(reference.metrics().nodes.live.recordsIn);
    expect(job.rows('live')).toEqual(reference.rows('live'));
    expect(published.at(-1)).toBe(reference.metrics().nodes.live.recordsIn);
  });

  it('stops with a savepoint and restores from it (read here, or by id on the job\'s thread): every record once', async () => {
    const reference = tempDir();
    // Event time follows the rate: every run generates at the same one.
    const full = createJob(viewsPerCountry(20_000, 10_000), { baseDir: reference });
    await full.start();
    await full.done;

    for (const by of ['data', 'id'] as const) {
      const dir = tempDir();
      const checkpointDir = join(dir, 'ckpt');
      const first = track(createWorkerJob(viewsPerCountry(20_000, 10_000), { baseDir: dir, checkpointDir }));
      await first.start();
      await until(() => first.metrics().nodes.clicks.recordsOut > 3000, 'records to flow');
      const info = await first.savepoint();
      expect(info.kind).toBe('savepoint');
      expect(first.state).toBe('stopped');
      const before = first.metrics().nodes.clicks.recordsOut;
      expect(before).toBeLessThan(20_000);

      const restore = by === 'data' ? await new CheckpointStore(checkpointDir).load({ id: info.id }) : { id: info.id };
      const second = track(createWorkerJob(viewsPerCountry(20_000, 10_000), { baseDir: dir, checkpointDir, restore }));
      await second.start();
      expect(second.restorePlan.checkpointId).toBe(info.id);
      expect(second.restorePlan.nodes.every((n) => n.action === 'kept')).toBe(true);
      expect((await second.done).state).toBe('finished');
      expect(before + second.metrics().nodes.clicks.recordsOut).toBe(20_000);
      expect(sortedLines(join(dir, 'out.jsonl'))).toEqual(sortedLines(join(reference, 'out.jsonl')));
    }
  });

  it('runs jobs on threads booted ahead (one spare kept ready)', async () => {
    prewarmJobThreads(1, 256);
    try {
      for (let i = 0; i < 2; i++) {
        const job = track(createWorkerJob(viewsPerCountry(1000), { baseDir: tempDir(), memoryMb: 256 }));
        await job.start();
        expect((await job.done).state).toBe('finished');
        expect(job.metrics().nodes.clicks.recordsOut).toBe(1000);
      }
    } finally {
      prewarmJobThreads(0, 256);
    }
  });

  // At parallelism 2 the dedupe runs in subtasks (keys on disk in each), which the job asks for the entries.
  for (const parallelism of [1, 2]) it(`takes ingested records and answers state queries over the port (parallelism ${parallelism})`, async () => {
    const job = track(createWorkerJob(doc([
      { id: 'in', kind: 'source.http', params: {} },
      { id: 'once', kind: 'dedupe', params: { key: 'id', within: '1h' } },
      { id: 'live', kind: 'sink.live', params: {} },
    ], [{ from: 'in', to: 'once' }, { from: 'once', to: 'live' }], { parallelism }), { baseDir: tempDir(), stateDir: join(tempDir(), 'state') }));
    await job.start();
    await job.ingest('in', [{ id: 'a', n: 1 }, { id: 'b', n: 2 }, { id: 'a', n: 3 }]);
    await until(() => job.rows('live').length === 2, 'the rows to arrive');
    expect(job.rows('live').map((r) => r.id).sort()).toEqual(['a', 'b']);
    const state = await job.nodeState('once');
    expect(state?.keys).toBe(2);
    expect(state?.entries.map(([name, key, first]) => [name, key, typeof first])).toEqual([['seen', 'a', 'number'], ['seen', 'b', 'number']]);
    expect(await job.nodeState('nope')).toBeUndefined();
    await expect(job.ingest('nope', [{ id: 'c' }])).rejects.toBeInstanceOf(IngestError);
    await expect(job.ingest('once', [{ id: 'c' }])).rejects.toMatchObject({ code: 'not_ingestible' });
    await job.stop();
    expect(job.state).toBe('stopped');
    await expect(job.ingest('in', [{ id: 'c' }])).rejects.toMatchObject({ code: 'not_running' });
  });

  it('samples only the watched edges, batched', async () => {
    const samples: [string, string, number][] = [];
    const job = track(createWorkerJob(viewsPerCountry(0, 2000), { baseDir: tempDir(), tap: (node, port, records) => samples.push([node, port, records.length]) }));
    await job.start();
    job.watchEdges(['clicks:out']);
    await until(() => samples.length >= 2, 'samples');
    expect(samples.every(([node, port, n]) => node === 'clicks' && port === 'out' && n > 0 && n <= 20)).toBe(true);
  });

  it('fails a job whose sink cannot write, with the reason, while this process lives on', async () => {
    const dir = tempDir();
    const job = track(createWorkerJob(doc([
      { id: 'gen', kind: 'source.generator', params: { ratePerSec: 0, limit: 100 } },
      { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl/nested/x.jsonl' } },
      { id: 'blocker', kind: 'sink.file', params: { path: 'out.jsonl' } },
    ], [{ from: 'gen', to: 'blocker' }, { from: 'gen', to: 'out' }]), { baseDir: dir }));
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toMatch(/out\.jsonl/);
  });

  it('ends a job whose thread does not stop within the grace period, with the reason', async () => {
    const dir = tempDir();
    // A grace of 1 ms: the final checkpoint of a full-speed job cannot be taken that fast.
    const job = track(createWorkerJob(viewsPerCountry(50_000_000), { baseDir: dir, checkpointDir: join(dir, 'cp'), stopTimeoutMs: 1 }));
    await job.start();
    await until(() => (job.metrics().nodes.clicks?.recordsOut ?? 0) > 0, 'records to flow');
    await job.stop();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toContain('did not stop within 1 ms');
    expect(job.state).toBe('failed');
  });

  it('fails a job that cannot be built on its thread, with the reason', async () => {
    const job = track(createWorkerJob(viewsPerCountry(100), { baseDir: tempDir(), restore: { id: 5 } }));
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toMatch(/Cannot restore checkpoint 5: the job has no checkpoint folder/);
  });

  it('fails a job past its memory budget with the budget in the reason; nothing else dies', async () => {
    const job = track(createWorkerJob(doc([
      { id: 'gen', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 0, keys: 10_000_000 } },
      { id: 'once', kind: 'dedupe', params: { key: 'event_id', within: '365d' } },
      { id: 'out', kind: 'sink.live', params: {} },
    ], [{ from: 'gen', to: 'once' }, { from: 'once', to: 'out' }]), { baseDir: tempDir(), memoryMb: 64 }));
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toMatch(/exceeded its memory budget of 64 MB/);
    expect(job.state).toBe('failed');
    // This thread still runs jobs.
    const next = track(createWorkerJob(viewsPerCountry(1000), { baseDir: tempDir() }));
    await next.start();
    expect((await next.done).state).toBe('finished');
  }, 120_000);
});
