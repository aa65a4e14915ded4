import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineMetrics } from '@eddy/shared';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';
import { heavyPipeline } from './heavy-load.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

// Jobs run on worker threads: the API answers while the heaviest workload runs at full speed.
// scripts/api-latency.mjs measures how fast (this test asserts answers, never timings).
describe('the API under a heavy pipeline', () => {
  it('answers health and the pipeline list correctly while a full-speed sliding window runs', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: heavyPipeline() });
    const id = body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
    const recordsIn = async () => ((await s.api(`/api/pipelines/${id}/metrics`)).body as PipelineMetrics).nodes.hot.recordsIn;
    const before = await eventually(async () => (await recordsIn()) > 10_000 && recordsIn(), 'the window to take records');

    for (let i = 0; i < 40; i++) {
      const [health, list] = await Promise.all([s.api('/api/health'), s.api('/api/pipelines')]);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok' });
      expect(list.status).toBe(200);
      expect(list.body.pipelines).toContainEqual(expect.objectContaining({ id, state: 'running' }));
    }
    // The load was real: the job keeps going (its figures reach the API every 200 ms).
    await eventually(async () => (await recordsIn()) > before, 'the job to keep taking records');
    expect((await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' })).body.state).toBe('stopped');
  });
});
