import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckpointInfo } from '@eddy/shared';
import { createJob } from '../api.js';
import { planRestore } from '../core/checkpoint-coordinator.js';
import { CheckpointStore } from './checkpoint-store.js';

const TOTAL = 20000;
const lines = Array.from({ length: TOTAL }, (_, i) =>
  JSON.stringify({ id: i, ts: 1_700_000_000_000 + i * 10, user: `u${i % 7}`, country: ['DE', 'FR', 'NL'][i % 3], amount: i % 100 }));

const WINDOW = { type: 'tumbling', size: '2s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] };

/** In-order events (no late records), so a restart from an offset sees the same rows as a fresh start on the rest. */
const pipeline = (window: object, input = 'events.jsonl', output = 'out/a.jsonl') => ({
  format: 'eddy/pipeline@1', name: 'fp', settings: { mode: 'native', guarantee: 'exactly-once', batchIntervalMs: 5, checkpointIntervalMs: 60_000 },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: input, format: 'jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' } } },
    { id: 'w', kind: 'window', params: window },
    { id: 'out', kind: 'sink.file', params: { path: output } },
  ],
  edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
});

const rows = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, number | string>);

async function run(doc: object, dir: string, store: CheckpointStore, restore?: CheckpointInfo) {
  const job = createJob(doc, { baseDir: dir, checkpoints: store, restore: restore ? await store.load({ id: restore.id }) : null, log: () => {} });
  await job.start();
  expect((await job.done).state).toBe('finished');
  return job;
}

/** Runs the original pipeline and stops it with a savepoint after the source's second batch. */
async function savepointMidway(dir: string, store: CheckpointStore): Promise<CheckpointInfo> {
  let batches = 0;
  let sp: Promise<CheckpointInfo> | undefined;
  const job = createJob(pipeline(WINDOW), {
    baseDir: dir, checkpoints: store, log: () => {},
    tap: (nodeId) => { if (nodeId === 'src' && ++batches === 2) sp = job.savepoint(); },
  });
  await job.start();
  await job.done;
  const info = await sp!;
  expect(job.metrics().nodes.src.recordsOut).toBeLessThan(TOTAL);
  return info;
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-fp-'));
  writeFileSync(join(dir, 'events.jsonl'), lines.join('\n') + '\n');
  return { dir, store: new CheckpointStore(join(dir, 'ckpt'), 3) };
}

describe('redeploy after a savepoint into a changed window', () => {
  const changes: [string, object, RegExp][] = [
    ['size', { size: '4s' }, /^what its state means changed \(size 2s → 4s\): starts empty$/],
    ['aggregates', { aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'avg', field: 'amount' }] }, /aggregates \[count, sum\(amount\)\] → \[count, avg\(amount\)\]/],
    ['keyBy', { keyBy: ['country'] }, /keyBy \[user\] → \[country\]/],
  ];
  for (const [what, change, reason] of changes) {
    it(`${what} changed: the window starts empty and its rows are those of a fresh start on the rest of the input`, async () => {
      const { dir, store } = setup();
      const sp = await savepointMidway(dir, store);
      expect(sp.nodes.w.fingerprint).toContain('"size":"2s"');
      const edited = pipeline({ ...WINDOW, ...change }, 'events.jsonl', 'out/b.jsonl');
      const next = await run(edited, dir, store, sp);
      const plan = Object.fromEntries(next.restorePlan.nodes.map((n) => [n.nodeId, n]));
      expect(plan.src.action).toBe('kept');
      expect(plan.w.action).toBe('reset');
      expect(plan.w.reason).toMatch(reason);
      // Another output file: the sink's pending commits do not belong to it.
      expect(plan.out).toMatchObject({ action: 'reset', reason: 'what its pending commits refer to changed (path out/a.jsonl → out/b.jsonl): starts without them' });
      // The same edited pipeline, fresh, on just the records the restored source read.
      const rest = next.metrics().nodes.src.recordsOut;
      expect(rest).toBeGreaterThan(0);
      writeFileSync(join(dir, 'rest.jsonl'), lines.slice(TOTAL - rest).join('\n') + '\n');
      await run(pipeline({ ...WINDOW, ...change }, 'rest.jsonl', 'out/c.jsonl'), dir, new CheckpointStore(join(dir, 'ckpt-fresh')));
      const restored = rows(dir, 'out/b.jsonl');
      expect(restored.length).toBeGreaterThan(10);
      expect(restored).toEqual(rows(dir, 'out/c.jsonl'));
    });
  }

  it('unchanged: state and offsets are kept and the output is that of a run never stopped', async () => {
    const { dir, store } = setup();
    const sp = await savepointMidway(dir, store);
    const next = await run(pipeline(WINDOW), dir, store, sp);
    expect(next.restorePlan.nodes.map((n) => [n.nodeId, n.action])).toEqual([['src', 'kept'], ['w', 'kept'], ['out', 'kept']]);
    await run(pipeline(WINDOW, 'events.jsonl', 'out/full.jsonl'), dir, new CheckpointStore(join(dir, 'ckpt-full')));
    expect(rows(dir, 'out/a.jsonl')).toEqual(rows(dir, 'out/full.jsonl'));
  });

  it('plans without running: renames and duration spellings keep; a checkpoint without fingerprints resets what it cannot check', async () => {
    const { dir, store } = setup();
    const sp = await savepointMidway(dir, store);
    const renamed = pipeline({ ...WINDOW, size: '2000ms', aggregates: [{ name: 'count', fn: 'count' }, { name: 'sum', fn: 'sum', field: 'amount' }] });
    expect(planRestore(sp, renamed as never).nodes.map((n) => n.action)).toEqual(['kept', 'kept', 'kept']);
    const moved = pipeline(WINDOW, 'other.jsonl');
    expect(planRestore(sp, moved as never).nodes[0]).toMatchObject({
      action: 'reset', reason: 'what its offsets refer to changed (path events.jsonl → other.jsonl): starts without offsets' });
    const old = { ...sp, nodes: Object.fromEntries(Object.entries(sp.nodes).map(([id, n]) => [id, { kind: n.kind, bytes: n.bytes }])) };
    const plan = planRestore(old, pipeline(WINDOW) as never);
    expect(plan.nodes.map((n) => n.action)).toEqual(['reset', 'reset', 'reset']);
    expect(plan.nodes[1].reason).toBe('checkpoint has no state fingerprint (written by an older version), so what its state means cannot be checked: starts empty');
  });
});
