import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, PipelineMetrics, PipelineStatus, RowsPayload, ServerToClientEvents } from '@eddy/shared';
import { eventually, startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

const isWindowRow = (r: Record<string, unknown>) =>
  typeof r.window_start === 'number' && typeof r.window_end === 'number' && typeof r.country === 'string' && typeof r.views === 'number';

describe('deployments', () => {
  it('deploy → metrics flow → rows → stop', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry('1s') });
    const id = body.id as string;
    expect((await s.api(`/api/pipelines/${id}/status`)).body.state).toBe('stopped');
    const deployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({ pipelineId: id, state: 'running', revision: 1 });

    const metrics = await eventually(async () => {
      const m = (await s.api(`/api/pipelines/${id}/metrics`)).body as PipelineMetrics;
      return m.nodes.clicks.recordsOut > 0 && m.nodes.clicks.ratePerSec > 0 && m.nodes.live.recordsIn > 0 && m;
    }, 'records to flow and a window to fire');
    expect(typeof metrics.nodes.views.latencyMs.p99).toBe('number');
    expect(metrics.nodes.views.recordsIn).toBeGreaterThan(0);
    expect(metrics.nodes.per_country.watermark).toEqual(expect.any(Number));

    const rows = await eventually(async () => {
      const r = (await s.api(`/api/pipelines/${id}/nodes/live/rows`)).body;
      return r.total > 0 && r;
    }, 'rows in the live table');
    expect(rows.rows.length).toBeGreaterThan(0);
    expect(rows.rows.every(isWindowRow)).toBe(true);
    expect(rows.rows[0].window_end - rows.rows[0].window_start).toBe(1000);

    const state = (await s.api(`/api/pipelines/${id}/nodes/per_country/state?limit=5`)).body;
    expect(state.nodeId).toBe('per_country');
    expect(state.entries.length).toBeLessThanOrEqual(5);
    expect((await s.api(`/api/pipelines/${id}/nodes/views/rows`)).status).toBe(400);
    expect((await s.api(`/api/pipelines/${id}/nodes/nope/rows`)).status).toBe(404);

    const stopped = await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
    expect(stopped.body.state).toBe('stopped');
    expect((await s.api(`/api/pipelines/${id}/status`)).body.state).toBe('stopped');
    const prom = await fetch(`${s.url}/metrics`).then((r) => r.text());
    expect(prom).toMatch(new RegExp(`eddy_node_records_out_total\\{pipeline="${id}",node="clicks"\\} \\d+`));
  });

  it('finishes a bounded pipeline and reports dead letters', async () => {
    const doc = viewsPerCountry('1s');
    doc.nodes[0].params = { scenario: 'clickstream', ratePerSec: 0, limit: 2000 } as never;
    doc.nodes[1].params = { where: "event_type = 'page_view' AND price / (quantity - quantity) IS NULL" } as never;
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: doc });
    await s.api(`/api/pipelines/${body.id}/deploy`, { method: 'POST' });
    await eventually(async () => (await s.api(`/api/pipelines/${body.id}/status`)).body.state === 'finished', 'the job to finish');
    const m = (await s.api(`/api/pipelines/${body.id}/metrics`)).body as PipelineMetrics;
    expect(m.nodes.clicks.recordsOut).toBe(2000);
    expect((await s.api(`/api/pipelines/${body.id}/dead-letters`)).body.deadLetters).toEqual([]);
  });

  it('pushes status, metrics and rows over socket.io, with the snapshot at once to a late subscriber', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry('1s') });
    const id = body.id as string;
    await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    const early: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { transports: ['websocket'] });
    const seen = { metrics: 0, rows: [] as RowsPayload[], status: [] as PipelineStatus[] };
    early.on('metrics', () => { seen.metrics++; });
    early.on('rows', (r) => { seen.rows.push(r); });
    early.on('status', (st) => { seen.status.push(st); });
    early.emit('subscribe', { pipelineId: id });
    early.emit('watchRows', { pipelineId: id, nodeId: 'live' });
    await eventually(() => seen.metrics >= 2 && seen.rows.length > 0, 'metrics and rows events');
    expect(seen.status[0]).toMatchObject({ pipelineId: id, state: 'running' });
    expect(seen.rows[0].rows.every(isWindowRow)).toBe(true);

    // A browser that opens late gets status, metrics and the watched sink's rows without waiting for the next tick.
    const late: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, { transports: ['websocket'] });
    const got: string[] = [];
    late.on('status', () => got.push('status'));
    late.on('metrics', () => got.push('metrics'));
    late.on('rows', () => got.push('rows'));
    late.emit('subscribe', { pipelineId: id });
    late.emit('watchRows', { pipelineId: id, nodeId: 'live' });
    await eventually(() => ['status', 'metrics', 'rows'].every((e) => got.includes(e)), 'the snapshot', 3000);

    const errors: unknown[] = [];
    late.on('error', (e) => errors.push(e));
    late.emit('subscribe', 42 as never);
    late.emit('subscribe', { pipelineId: 'no-such' });
    await eventually(() => errors.length === 2, 'errors for bad subscriptions');

    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
    await eventually(() => seen.status.some((st) => st.state === 'stopped'), 'a stopped status event');
    early.close();
    late.close();
  });

  it('refuses to deploy an unknown pipeline', async () => {
    expect((await s.api('/api/pipelines/nope/deploy', { method: 'POST' })).status).toBe(404);
  });
});

describe('restart', () => {
  it('keeps pipelines and resumes the ones that were running', async () => {
    let server = await startServer();
    const kept = await server.api('/api/pipelines', { method: 'POST', json: { ...viewsPerCountry(), name: 'Kept' } });
    const running = await server.api('/api/pipelines', { method: 'POST', json: { ...viewsPerCountry(), name: 'Running' } });
    await server.api(`/api/pipelines/${running.body.id}/deploy`, { method: 'POST' });
    server = await server.restart();
    try {
      const names = (await server.api('/api/pipelines')).body.pipelines.map((p: { name: string }) => p.name);
      expect(names).toEqual(expect.arrayContaining(['Kept', 'Running', 'Page views per country']));
      expect((await server.api(`/api/pipelines/${kept.body.id}/status`)).body.state).toBe('stopped');
      expect((await server.api(`/api/pipelines/${running.body.id}/status`)).body.state).toBe('running');
      await eventually(async () => (await server.api(`/api/pipelines/${running.body.id}/metrics`)).body.nodes.clicks.recordsOut > 0, 'records after resume');
    } finally {
      await server.destroy();
    }
  });
});
