import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJob, type NodeState } from '../api.js';
import { CheckpointStore } from '../checkpoint/checkpoint-store.js';
import type { StateQuery } from '../core/state-entries.js';
import type { ToSubtask } from './protocol.js';
import { combineStateAnswers, StateQueries } from './state-query.js';

const doc = (parallelism: number) => ({
  format: 'eddy/pipeline@1', name: 'state-view', settings: { parallelism, checkpointIntervalMs: 600_000 },
  nodes: [
    { id: 'in', kind: 'source.http', params: { eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } },
    { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1h', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } },
    { id: 's', kind: 'window', params: { type: 'session', gap: '1h', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }] } },
    { id: 'd', kind: 'dedupe', params: { key: 'user', within: '1h' } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'in', to: 'w' }, { from: 'in', to: 's' }, { from: 'in', to: 'd' }, { from: 'w', to: 'live' }, { from: 's', to: 'live' }, { from: 'd', to: 'live' }],
});

const QUERIES: StateQuery[] = [{}, { limit: 7 }, { prefix: 'u1' }, { key: '3', limit: 4 }, { limit: 10_000 }];

/** Every query's answer for each keyed node once the ingested records have passed a checkpoint (all processed). */
async function stateViews(parallelism: number): Promise<Record<string, NodeState | undefined>> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-par-state-'));
  const job = createJob(doc(parallelism), { baseDir: dir, checkpoints: new CheckpointStore(join(dir, 'ckpt'), 2) });
  await job.start();
  let seed = 5;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let chunk = 0; chunk < 6; chunk++) {
    const records = Array.from({ length: 100 }, (_v, i) => ({
      user: `u${Math.floor(rnd() * 150)}`, ts: 1_700_000_000_000 + (chunk * 100 + i) * 10, amount: Math.floor(rnd() * 100),
    }));
    await job.ingest('in', records);
  }
  // The checkpoint's barrier follows the records through every channel: once it is taken, every node has them.
  expect(await job.checkpoint()).toBeTruthy();
  const views: Record<string, NodeState | undefined> = {};
  for (const node of ['w', 's', 'd', 'nope']) {
    for (const query of QUERIES) views[`${node} ${JSON.stringify(query)}`] = await job.nodeState(node, query);
  }
  await job.stop();
  return views;
}

describe('state view of a parallel job', { timeout: 60_000 }, () => {
  it('answers with the entries, key count and order of the same job on one thread, limits and filters included', async () => {
    const one = await stateViews(1);
    expect(one['w {}']!.keys).toBeGreaterThan(100);
    expect(one['w {}']!.entries).toHaveLength(100);
    expect(one['w {"limit":10000}']!.entries).toHaveLength(one['w {}']!.keys);
    expect(one['d {"limit":7}']!.entries.map(([, key]) => key)).toEqual(one['d {}']!.entries.slice(0, 7).map(([, key]) => key));
    const keysOf = (view: NodeState | undefined) => view!.entries.map(([, key]) => key);
    expect(keysOf(one['s {"limit":10000}'])).toEqual(keysOf(one['s {"limit":10000}']).sort());
    const u1 = keysOf(one['s {"limit":10000}']).filter((key) => key.startsWith('u1'));
    expect(u1.length).toBeGreaterThan(10);
    expect(keysOf(one['s {"prefix":"u1"}'])).toEqual(u1);
    expect(keysOf(one['d {"key":"3","limit":4}'])).toEqual(keysOf(one['d {"limit":10000}']).filter((key) => key.includes('3')).slice(0, 4));
    expect(one['nope {}']).toBeUndefined();
    for (const parallelism of [2, 3]) {
      const many = await stateViews(parallelism);
      for (const [query, view] of Object.entries(one)) {
        expect(many[query] && { ...many[query], bytes: 0 }, `${query} at parallelism ${parallelism}`).toEqual(view && { ...view, bytes: 0 });
        if (view) expect(many[query]!.bytes).toBeGreaterThan(0);
      }
    }
  });
});

describe('state queries to subtasks', () => {
  const answer = (keys: number, entries: [string, string, unknown][]) => ({ keys, bytes: keys * 10, entries });

  it('merges the answers in view order, sums keys and bytes, and keeps the limit', () => {
    const combined = combineStateAnswers('w', [
      answer(3, [['a', 'k1', 1], ['a', 'k4', 4], ['b', 'k0', 0]]),
      null,
      answer(2, [['a', 'k2', 2], ['a', 'k3', 3]]),
    ], { limit: 4 });
    expect(combined).toEqual({ nodeId: 'w', keys: 5, bytes: 50, entries: [['a', 'k1', 1], ['a', 'k2', 2], ['a', 'k3', 3], ['a', 'k4', 4]] });
    expect(combineStateAnswers('w', [null, null], {})).toBeUndefined();
  });

  it('asks every subtask with one request id, and fails when one ends or does not answer', async () => {
    const posted: [number, ToSubtask][] = [];
    const queries = new StateQueries((k, m) => posted.push([k, m]));
    const answered = queries.ask(2, 'w', { limit: 5 });
    expect(posted.map(([k, m]) => [k, m.t])).toEqual([[0, 'state'], [1, 'state']]);
    const id = (posted[0][1] as { id: number }).id;
    queries.answered(1, id, answer(1, [['a', 'x', 1]]));
    queries.answered(1, id, null); // a repeat changes nothing
    queries.answered(0, id, null);
    expect(await answered).toEqual([null, answer(1, [['a', 'x', 1]])]);

    const ended = queries.ask(2, 'w', {});
    queries.lost(1);
    await expect(ended).rejects.toThrow('Subtask 1 ended before it answered');
    await expect(queries.ask(3, 'w', {}, 1)).rejects.toThrow(/Subtask 0, 1, 2 did not answer the state query for 'w'/);
  });
});
