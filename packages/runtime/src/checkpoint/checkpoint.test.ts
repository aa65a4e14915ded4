import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckpointInfo, ExecutionMode } from '@eddy/shared';
import { createJob } from '../api.js';
import { CheckpointStore } from './checkpoint-store.js';
import { LmdbEnvironment } from '../state/lmdb-state.js';
import type { JobOptions } from '../api.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'eddy-ckpt-'));

/** 20000 out-of-order events over 12 keys, some late beyond the 1 s bound. */
function writeEvents(dir: string): void {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) {
    const late = rnd() < 0.02 ? 4000 : 0;
    lines.push(JSON.stringify({ id: i, ts: 1_700_000_000_000 + i * 25 - Math.floor(rnd() * 900) - late, user: `u${Math.floor(rnd() * 12)}`, amount: Math.floor(rnd() * 100) }));
  }
  writeFileSync(join(dir, 'events.jsonl'), lines.join('\n') + '\n');
}

const pipeline = (mode: ExecutionMode, guarantee: 'exactly-once' | 'at-least-once') => ({
  format: 'eddy/pipeline@1', name: 'ckpt', settings: { mode, guarantee, batchIntervalMs: 1, checkpointIntervalMs: 60_000 },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'events.jsonl', format: 'jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } },
    { id: 'w', kind: 'window', params: { type: 'tumbling', size: '2s', keyBy: ['user'], aggregates: [
      { name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }, { name: 'ids', fn: 'count_distinct', field: 'amount' }] } },
    { id: 'out', kind: 'sink.file', params: { path: 'out/rows.jsonl' } },
    { id: 'late', kind: 'sink.file', params: { path: 'out/late.jsonl' } },
  ],
  edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }, { from: 'w', fromPort: 'late', to: 'late' }],
});

const read = (dir: string) => ({ rows: readFileSync(join(dir, 'out/rows.jsonl'), 'utf8'), late: readFileSync(join(dir, 'out/late.jsonl'), 'utf8') });

/**
 * Runs the pipeline to the end, taking one checkpoint after the source's `after`-th batch;
 * returns what the files hold and the checkpoint's id.
 */
async function runWithCheckpoint(dir: string, doc: object, store: CheckpointStore, after: number, extra: Partial<JobOptions> = {}) {
  let batches = 0;
  let taken: Promise<CheckpointInfo | null> | undefined;
  const job = createJob(doc, {
    baseDir: dir, checkpoints: store, ...extra,
    tap: (nodeId) => { if (nodeId === 'src' && ++batches === after) taken = job.checkpoint(); },
  });
  await job.start();
  expect((await job.done).state).toBe('finished');
  const info = await taken;
  // The end of input takes a final checkpoint too: the mid-run one is older.
  expect((await store.list())[0].id).toBeGreaterThan(info!.id);
  return { files: read(dir), checkpointId: info!.id };
}

describe('checkpoints', () => {
  for (const [mode, backend] of [['native', 'memory'], ['microbatch', 'memory'], ['native', 'lmdb']] as const) {
    it(`exactly-once: restoring a mid-run checkpoint after a crash gives the uncrashed output (${mode}, ${backend} state)`, async () => {
      const dir = tmp();
      writeEvents(dir);
      const store = new CheckpointStore(join(dir, 'ckpt'), 3);
      const doc = pipeline(mode, 'exactly-once');
      const env = backend === 'lmdb' ? new LmdbEnvironment(join(dir, 'state')) : null;
      const extra: Partial<JobOptions> = env ? { stateBackend: (id) => env.backend(id, 16) } : {};
      const { files: full, checkpointId } = await runWithCheckpoint(dir, doc, store, 2, extra);
      expect(full.rows.split('\n').length).toBeGreaterThan(100);
      expect(full.late.length).toBeGreaterThan(0);
      // The "crash": the files hold everything, the newest checkpoint is mid-run. Restore from it.
      const restored = await store.load({ id: checkpointId });
      expect(restored).not.toBeNull();
      const job = createJob(doc, { baseDir: dir, checkpoints: store, restore: restored, ...extra });
      expect(job.restorePlan.nodes.map((n) => n.action)).toEqual(['kept', 'kept', 'kept', 'kept']);
      await job.start();
      expect((await job.done).state).toBe('finished');
      // The checkpoint was mid-run: the restored job read only the rest of the file.
      const replayed = job.metrics().nodes.src.recordsOut;
      expect(replayed).toBeGreaterThan(0);
      expect(replayed).toBeLessThan(20000);
      if (backend === 'memory') expect(read(dir)).toEqual(full);
      else {
        // LMDB lists keys in key order, so windows that fire together may come out in another order: same rows.
        const sorted = (f: { rows: string; late: string }) => ({ rows: f.rows.split('\n').sort(), late: f.late.split('\n').sort() });
        expect(sorted(read(dir))).toEqual(sorted(full));
      }
      expect(readdirSync(join(dir, 'out')).filter((f) => !f.endsWith('.eddy'))).toEqual(['late.jsonl', 'rows.jsonl']); // part folders cleaned up (the .eddy markers stay)
      await env?.close();
    });
  }

  it('at-least-once: a restore replays after the checkpoint, so no row is missing (duplicates allowed)', async () => {
    const dir = tmp();
    writeEvents(dir);
    const store = new CheckpointStore(join(dir, 'ckpt'), 3);
    const doc = pipeline('native', 'at-least-once');
    const { files: full, checkpointId } = await runWithCheckpoint(dir, doc, store, 2);
    const job = createJob(doc, { baseDir: dir, checkpoints: store, restore: await store.load({ id: checkpointId }) });
    await job.start();
    await job.done;
    const after = read(dir).rows.split('\n').filter(Boolean);
    const count = new Map<string, number>();
    for (const l of after) count.set(l, (count.get(l) ?? 0) + 1);
    for (const l of full.rows.split('\n').filter(Boolean)) expect(count.get(l) ?? 0).toBeGreaterThanOrEqual(1);
    expect(after.length).toBeGreaterThan(full.rows.split('\n').filter(Boolean).length);
  });

  it('stop ends with a checkpoint; an edited pipeline restored from it keeps unchanged nodes and resets new ones', async () => {
    const dir = tmp();
    const store = new CheckpointStore(join(dir, 'ckpt'), 3);
    const doc = {
      format: 'eddy/pipeline@1', name: 'gen', settings: { checkpointIntervalMs: 60_000 },
      nodes: [
        { id: 'gen', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 2000, seed: 3, keys: 20 } },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1h', keyBy: ['country'], aggregates: [{ name: 'n', fn: 'count' }] } },
        { id: 'live', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'gen', to: 'w' }, { from: 'w', to: 'live' }],
    };
    const job = createJob(doc, { baseDir: dir, checkpoints: store });
    await job.start();
    await new Promise((r) => setTimeout(r, 300));
    const info = await job.savepoint();
    expect(info.kind).toBe('savepoint');
    const counted = (await job.nodeState('w'))!;
    expect(counted.keys).toBeGreaterThan(0);
    const edited = structuredClone(doc);
    edited.nodes.push({ id: 'big', kind: 'filter', params: { where: 'n > 0' } } as never);
    edited.edges = [{ from: 'gen', to: 'w' }, { from: 'w', to: 'big' }, { from: 'big', to: 'live' }];
    const next = createJob(edited, { baseDir: dir, checkpoints: store, restore: await store.load({ id: info.id }) });
    expect(next.restorePlan.nodes.map((n) => [n.nodeId, n.action])).toEqual([['gen', 'kept'], ['w', 'kept'], ['live', 'kept'], ['big', 'reset']]);
    // Before any new record, the window holds exactly the savepoint's state.
    expect((await next.nodeState('w'))!.entries).toEqual(counted.entries);
  });
});

describe('CheckpointStore', () => {
  it('keeps the newest checkpoints and every savepoint; never uses a half-written or damaged one', async () => {
    const dir = tmp();
    const store = new CheckpointStore(dir, 2);
    const part = (s: string) => [{ nodeId: 'a', kind: 'filter', data: Buffer.from(s) }];
    for (let id = 1; id <= 4; id++) await store.write({ id, kind: id === 2 ? 'savepoint' : 'checkpoint', timestamp: id, startedAt: performance.now() }, part(`state ${id}`));
    expect((await store.list()).map((c) => [c.id, c.kind])).toEqual([[4, 'checkpoint'], [3, 'checkpoint'], [2, 'savepoint']]);
    expect((await store.load())!.nodes.get('a')!.data.toString()).toBe('state 4');
    // A crash while writing checkpoint 5 leaves a .tmp folder: ignored.
    mkdirSync(join(dir, 'chk-00000005.tmp'));
    writeFileSync(join(dir, 'chk-00000005.tmp', '_metadata.json'), '{}');
    // Checkpoint 4's file damaged on disk: the newest intact one (3) is used instead.
    writeFileSync(join(dir, 'chk-00000004', 'node-0.bin'), 'state X');
    expect((await store.load())!.info.id).toBe(3);
    expect(await store.load({ id: 4 })).toBeNull();
    expect(await store.lastId()).toBe(5);
    expect((await store.load({ minId: 5 }))).toBeNull();
  });
});
