import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointInfo, RestorePlan } from '@eddy/shared';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

/** Views per country in one-hour windows of a fixed timeline: state that only a savepoint carries over. */
const hourly = () => ({
  format: 'eddy/pipeline@1', name: 'Hourly views', settings: { checkpointIntervalMs: 200 },
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 2000, seed: 5, keys: 50, startTime: '2026-01-01T00:10:00Z' } },
    { id: 'per_country', kind: 'window', params: { type: 'tumbling', size: '1h', keyBy: ['country'], aggregates: [{ name: 'views', fn: 'count' }] } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'per_country' }, { from: 'per_country', to: 'live' }],
});

const counted = (state: { entries: [string, string, { accs: number[] }][] }) =>
  state.entries.reduce((n, [, , w]) => n + w.accs[0], 0);

describe('checkpoints, savepoints and redeploy over HTTP', () => {
  it('lists checkpoints; savepoint → edit (a filter after the window) → the plan → redeploy keeps the window state', async () => {
    const id = (await s.api('/api/pipelines', { method: 'POST', json: hourly() })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
    const list = await eventually(async () => {
      const b = (await s.api(`/api/pipelines/${id}/checkpoints`)).body as { checkpoints: CheckpointInfo[] };
      return b.checkpoints.length >= 2 && b.checkpoints;
    }, 'two checkpoints');
    expect(list[0]).toMatchObject({ kind: 'checkpoint', id: expect.any(Number), timestamp: expect.any(Number), durationMs: expect.any(Number), sizeBytes: expect.any(Number) });
    expect(Object.keys(list[0].nodes).sort()).toEqual(['clicks', 'live', 'per_country']);
    expect(list[0].nodes.per_country.bytes).toBeGreaterThan(0);
    expect(list[0].id).toBeGreaterThan(list[1].id);

    const sp = await s.api(`/api/pipelines/${id}/savepoint`, { method: 'POST' });
    expect(sp.status).toBe(200);
    expect(sp.body.savepoint.kind).toBe('savepoint');
    expect(sp.body.status.state).toBe('stopped');
    expect((await s.api(`/api/pipelines/${id}/savepoint`, { method: 'POST' })).status).toBe(409);

    // Edit: a filter between the window and the live table.
    const doc = hourly();
    doc.nodes.splice(2, 0, { id: 'busy', kind: 'filter', params: { where: 'views > 0' } } as never);
    doc.edges = [{ from: 'clicks', to: 'per_country' }, { from: 'per_country', to: 'busy' }, { from: 'busy', to: 'live' }];
    expect((await s.api(`/api/pipelines/${id}`, { method: 'PUT', json: doc })).status).toBe(200);
    const plan = (await s.api(`/api/pipelines/${id}/plan`)).body.next as RestorePlan;
    expect(plan.checkpointId).toBe(sp.body.savepoint.id);
    expect(plan.nodes.map((n) => [n.nodeId, n.action])).toEqual([['clicks', 'kept'], ['per_country', 'kept'], ['busy', 'reset'], ['live', 'kept']]);

    const deployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    expect(deployed.body.plan).toEqual(plan);
    // The generator resumed at its offset, so the window's count only grows from the savepoint's.
    const before = sp.body.savepoint.nodes.per_country.bytes;
    expect(before).toBeGreaterThan(0);
    const clicksSoFar = await eventually(async () => {
      const n = (await s.api(`/api/pipelines/${id}/metrics`)).body.nodes.clicks.recordsOut as number;
      return n > 0 && n;
    }, 'records after redeploy');
    const state = (await s.api(`/api/pipelines/${id}/nodes/per_country/state?limit=1000`)).body;
    // Every event the generator produced since the savepoint, plus the savepoint's, is counted.
    expect(counted(state)).toBeGreaterThan(clicksSoFar);

    // A deploy with { fresh: true } starts from nothing; restore of a listed checkpoint works; a made-up one is 400.
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { fresh: 'yes' } })).status).toBe(400);
    const fresh = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { fresh: true } });
    expect(fresh.body.plan.checkpointId).toBeNull();
    const restored = await s.api(`/api/pipelines/${id}/restore`, { method: 'POST', json: { checkpointId: sp.body.savepoint.id } });
    expect(restored.status).toBe(200);
    expect(restored.body.plan.checkpointId).toBe(sp.body.savepoint.id);
    const bad = await s.api(`/api/pipelines/${id}/restore`, { method: 'POST', json: { checkpointId: 999999 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('unknown_checkpoint');
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });
});
