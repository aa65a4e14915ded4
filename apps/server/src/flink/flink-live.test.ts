import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineMetrics, PipelineStatus } from '@eddy/shared';
import { eventually, type TestServer } from '../test-utils/harness.js';
import { closeServerOnSharedFlink, serverOnSharedFlink } from '../test-utils/flink-server.js';
import { readJsonLines } from './part-files.js';

/*
 * The designer's view of a pipeline on Flink: the ad-analytics template on a file of its
 * generator's events (examples/flink/ad-analytics-file.json) deployed with target flink; the
 * socket's `metrics` events carry Flink's figures per Eddy node, `status` the Flink job; the
 * sink's part files hold the rows. A restarted server watches the Flink job again.
 */
const examples = fileURLToPath(new URL('../../../../examples/flink/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'eddy-flink-live-'));
let s: TestServer;

beforeAll(async () => {
  s = await serverOnSharedFlink(dir, join(examples, 'ad-events.json'), 'ad-events.jsonl');
}, 900_000);

afterAll(() => closeServerOnSharedFlink(s, dir), 60_000);

function listen(url: string, pipelineId: string) {
  const socket: Socket = connect(url, { transports: ['websocket'], forceNew: true });
  const metrics: PipelineMetrics[] = [];
  const statuses: PipelineStatus[] = [];
  socket.on('metrics', (m: PipelineMetrics) => metrics.push(m));
  socket.on('status', (st: PipelineStatus) => statuses.push(st));
  socket.on('connect', () => socket.emit('subscribe', { pipelineId }));
  return { socket, metrics, statuses };
}

describe('a pipeline on Flink, watched as the designer does', () => {
  it('GET /api/flink says deploys to Flink can go ahead', async () => {
    const r = await s.api('/api/flink');
    expect(r.body).toMatchObject({ configured: true, reachable: true, reason: null, gatewayUrl: process.env.EDDY_FLINK_GATEWAY });
  });

  it('ad analytics on a file: socket metrics per node from Flink, the Flink job in status, rows in the sink', async () => {
    const doc = JSON.parse(readFileSync(join(examples, 'ad-analytics-file.json'), 'utf8'));
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    const live = listen(s.url, id);
    try {
      await eventually(() => live.socket.connected && live.statuses.length > 0, 'the subscription');
      const deployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } });
      expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
      const jobId = deployed.body.flink.jobId as string;
      expect(jobId).toMatch(/^[0-9a-f]{32}$/);

      const finished = await eventually(() => live.statuses.find((st) => st.target === 'flink' && st.state === 'finished'), 'the bounded job to finish', 120_000);
      expect(finished.flink).toMatchObject({ jobId, state: 'FINISHED', webUrl: expect.stringContaining(jobId) });
      const last = await eventually(() => live.metrics.findLast((m) => m.engine === 'flink' && m.nodes.out?.recordsIn > 0), 'figures of the sink');
      for (const node of ['ads', 'views', 'campaign', 'per_campaign', 'out']) {
        expect(last.nodes[node]?.recordsIn, node).toBeGreaterThan(0);
        expect(last.nodes[node].flinkVertex?.nodes, node).toContain(node);
      }
      // The filter and the lookup run in the source's vertex (Flink inlines them), marked shared.
      expect(last.nodes.views.flinkVertex).toMatchObject({ id: last.nodes.ads.flinkVertex!.id, shared: true });
      // The window shows the vertex that emits its results (GlobalWindowAggregate), which also writes the sink.
      expect(last.nodes.per_campaign.flinkVertex).toMatchObject({ id: last.nodes.out.flinkVertex!.id, shared: true });
      expect(last.nodes.per_campaign.flinkVertex!.id).not.toBe(last.nodes.ads.flinkVertex!.id);
      expect(last.nodes.ads.recordsIn).toBe(50_000);
      // Checkpoint figures are Flink's (a bounded job's tasks may finish before a checkpoint completes: Flink counts those failed).
      expect(last.checkpoints).toMatchObject({ count: expect.any(Number), failed: expect.any(Number) });

      const rows = readJsonLines(join(s.dataDir, 'out/ad-analytics'));
      expect(rows.length).toBeGreaterThan(0);
      // 50 000 events over 50 s of event time: 5 windows of 10 s, about a third views, 100 campaigns.
      expect(new Set(rows.map((r) => r.window_start))).toEqual(new Set([0, 10_000, 20_000, 30_000, 40_000]));
      expect(rows.every((r) => typeof r.campaign_id === 'string' && (r.views as number) > 0)).toBe(true);
      expect(rows.reduce((n, r) => n + (r.views as number), 0)).toBe(readJsonLines(join(s.dataDir, 'ad-events.jsonl')).filter((e) => e.event_type === 'view').length);

      const metrics = (await s.api(`/api/pipelines/${id}/metrics`)).body as PipelineMetrics;
      expect(metrics.engine).toBe('flink');
      expect(metrics.nodes.per_campaign.recordsIn).toBeGreaterThan(0);
    } finally {
      live.socket.disconnect();
    }
  }, 300_000);

  it('a restarted server watches its Flink job again; stop takes a savepoint and says where', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'unbounded on Flink',
      nodes: [{ id: 'gen', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 50, limit: 0 } }, { id: 'log', kind: 'sink.log', params: {} }],
      edges: [{ from: 'gen', to: 'log' }],
    };
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    const deployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.flink?.nodes.gen?.vertexStatus === 'RUNNING', 'the job to run', 120_000);
    // An embedded deploy is refused while it runs on Flink.
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).body.error.code).toBe('running_on_flink');

    s = await s.restart();
    const live = listen(s.url, id);
    try {
      const again = await eventually(() => live.statuses.find((st) => st.target === 'flink' && st.state === 'running'), 'the Flink job after the restart', 30_000);
      expect(again.flink!.jobId).toBe(deployed.body.flink.jobId);
      // Flink chains the generator and the print sink into one vertex: both show its figures, marked shared.
      const figures = await eventually(() => live.metrics.find((m) => m.engine === 'flink' && m.nodes.gen && m.nodes.log), 'figures after the restart', 30_000);
      expect(figures.nodes.log.flinkVertex).toMatchObject({ id: figures.nodes.gen.flinkVertex!.id, shared: true });
      const stopped = await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
      expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
      expect(stopped.body.flink.savepoint).toMatch(/^file:.*savepoint-/);
      const ended = await eventually(() => live.statuses.find((st) => st.state !== 'running' && st.flink?.savepoint), 'a status naming the savepoint', 60_000);
      expect(ended.flink!.savepoint).toBe(stopped.body.flink.savepoint);
    } finally {
      live.socket.disconnect();
    }
  }, 300_000);
});
