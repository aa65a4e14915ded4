import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckpointInfo, ExecutionMode } from '@eddy/shared';
import { createJob } from '../api.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'eddy-par-ckpt-'));

/** 40000 out-of-order events over 40 keys (one of them hot), some late beyond the 1 s bound (more than the pieces read ahead at parallelism 2). */
function writeEvents(dir: string): void {
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines: string[] = [];
  for (let i = 0; i < 40000; i++) {
    const late = rnd() < 0.02 ? 4000 : 0;
    const user = rnd() < 0.3 ? 'hot' : `u${Math.floor(rnd() * 40)}`;
    lines.push(JSON.stringify({ id: i, ts: 1_700_000_000_000 + i * 25 - Math.floor(rnd() * 900) - late, user, amount: Math.floor(rnd() * 100) }));
  }
  writeFileSync(join(dir, 'events.jsonl'), lines.join('\n') + '\n');
}

const pipeline = (parallelism: number, mode: ExecutionMode = 'native') => ({
  format: 'eddy/pipeline@1', name: 'par-ckpt', settings: { mode, parallelism, guarantee: 'exactly-once', batchIntervalMs: 5, checkpointIntervalMs: 60_000 },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'events.jsonl', format: 'jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } },
    { id: 'big', kind: 'filter', params: { where: 'amount >= 5' } },
    { id: 'w', kind: 'window', params: { type: 'tumbling', size: '2s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } },
    { id: 's', kind: 'window', params: { type: 'session', gap: '300ms', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }] } },
    { id: 'd', kind: 'dedupe', params: { key: 'amount', within: '1s' } },
    // Both sides of a join from the one source: read in pieces, its edges through one merge (plan.mergedInputs).
    { id: 'parity', kind: 'route', params: { routes: [{ port: 'even', where: 'id % 2 = 0' }, { port: 'odd', where: 'id % 2 = 1' }] } },
    { id: 'j', kind: 'join', params: { type: 'left', leftKey: 'user', rightKey: 'user', within: '200ms' } },
    { id: 'pairs', kind: 'sink.file', params: { path: 'out/pairs.jsonl' } },
    { id: 'out', kind: 'sink.file', params: { path: 'out/rows.jsonl' } },
    { id: 'sessions', kind: 'sink.file', params: { path: 'out/sessions.jsonl' } },
    { id: 'firsts', kind: 'sink.file', params: { path: 'out/firsts.jsonl' } },
    { id: 'late', kind: 'sink.file', params: { path: 'out/late.jsonl' } },
  ],
  edges: [
    { from: 'src', to: 'big' }, { from: 'big', to: 'w' }, { from: 'w', to: 'out' }, { from: 'w', fromPort: 'late', to: 'late' },
    { from: 'big', to: 's' }, { from: 's', to: 'sessions' }, { from: 'src', to: 'd' }, { from: 'd', to: 'firsts' },
    { from: 'src', to: 'parity' }, { from: 'parity', fromPort: 'even', to: 'j', toPort: 'left' }, { from: 'parity', fromPort: 'odd', to: 'j', toPort: 'right' },
    { from: 'j', to: 'pairs' },
  ],
});

const FILES = ['rows', 'sessions', 'firsts', 'late', 'pairs'];
/** What the sinks wrote, each file's lines sorted (subtasks hand rows of different keys to a sink in any order). */
const read = (dir: string) => Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, `out/${f}.jsonl`), 'utf8').split('\n').filter(Boolean).sort()]));

async function runToEnd(dir: string, doc: object, store: CheckpointStore, checkpointAfter?: number) {
  let batches = 0;
  let taken: Promise<CheckpointInfo | null> | undefined;
  const job = createJob(doc, {
    baseDir: dir, checkpoints: store,
    tap: (nodeId) => { if (nodeId === 'src' && ++batches === checkpointAfter) taken = job.checkpoint(); },
  });
  await job.start();
  expect((await job.done).state).toBe('finished');
  return { job, info: await taken };
}

describe('parallel checkpoints (aligned barriers over every channel)', { timeout: 60_000 }, () => {
  it('a mid-run checkpoint at parallelism 2 restores at 2, 1 and 3 (state re-partitioned by key group) with the uncrashed output', async () => {
    const reference = tmp();
    writeEvents(reference);
    await runToEnd(reference, pipeline(1), new CheckpointStore(join(reference, 'ckpt'), 3));
    const want = read(reference);
    expect(want.rows.length).toBeGreaterThan(100);
    expect(want.late.length).toBeGreaterThan(0);
    expect(want.pairs.length).toBeGreaterThan(100);

    const dir = tmp();
    writeEvents(dir);
    const store = new CheckpointStore(join(dir, 'ckpt'), 10);
    const { info } = await runToEnd(dir, pipeline(2), store, 1);
    expect(info).toBeTruthy();
    expect(read(dir)).toEqual(want);
    const checkpoint = await store.load({ id: info!.id });
    for (const parallelism of [2, 1, 3]) {
      // The "crash" happened right after the checkpoint: restore it; exactly-once sinks roll back to it.
      const job = createJob(pipeline(parallelism, parallelism === 3 ? 'microbatch' : 'native'), { baseDir: dir, checkpoints: store, restore: checkpoint });
      expect(job.restorePlan.nodes.every((n) => n.action === 'kept')).toBe(true);
      await job.start();
      expect((await job.done).state).toBe('finished');
      const replayed = job.metrics().nodes.src.recordsOut;
      expect(replayed).toBeGreaterThan(0);
      expect(replayed).toBeLessThan(40000);
      expect(read(dir), `restored at parallelism ${parallelism}`).toEqual(want);
    }
  });

  it('a savepoint of a running parallel job keeps its keyed state: redeployed at another parallelism, the state view counts the same keys', async () => {
    const dir = tmp();
    const store = new CheckpointStore(join(dir, 'ckpt'), 3);
    const doc = (parallelism: number) => ({
      format: 'eddy/pipeline@1', name: 'gen', settings: { checkpointIntervalMs: 60_000, parallelism },
      nodes: [
        { id: 'gen', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 3000, seed: 3, keys: 50 } },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1h', keyBy: ['user_id'], aggregates: [{ name: 'n', fn: 'count' }] } },
        { id: 'live', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'gen', to: 'w' }, { from: 'w', to: 'live' }],
    });
    const job = createJob(doc(2), { baseDir: dir, checkpoints: store });
    await job.start();
    await new Promise((r) => setTimeout(r, 800));
    const info = await job.savepoint();
    expect(info.kind).toBe('savepoint');
    const keys = job.metrics().nodes.w.stateKeys;
    expect(keys).toBeGreaterThan(0);
    expect(job.metrics().nodes.w.subtasks).toHaveLength(2);
    const next = createJob(doc(1), { baseDir: dir, checkpoints: store, restore: await store.load({ id: info.id }) });
    expect((await next.nodeState('w'))!.keys).toBe(keys);
  });
});
