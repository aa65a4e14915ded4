import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerProcess, freePort } from '../crash/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-budget-'));
let server: ServerProcess;
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const until = async <T>(check: () => Promise<T | false>, what: string): Promise<T> => {
  for (let i = 0; i < 600; i++) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}:\n${server.log.slice(-2000)}`);
};

// The real server as a process, with a small per-job budget and keyed state on the heap.
describe('a job past its memory budget', () => {
  it('fails alone with the budget in the reason; the server answers and runs the next pipeline', async () => {
    server = new ServerProcess(dir, await freePort(), { EDDY_JOB_MEMORY_MB: '64', EDDY_STATE: 'memory' });
    await server.start();
    const hog = await server.api('/api/pipelines', {
      format: 'eddy/pipeline@1', name: 'dedupe for a year', settings: { restart: { strategy: 'none' } },
      nodes: [
        { id: 'gen', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 0, keys: 10_000_000 } },
        { id: 'once', kind: 'dedupe', params: { key: 'event_id', within: '365d' } },
        { id: 'live', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'gen', to: 'once' }, { from: 'once', to: 'live' }],
    });
    expect((await server.api(`/api/pipelines/${hog.body.id}/deploy`, {})).status).toBe(200);
    const status = await until(async () => {
      const s = (await server.api(`/api/pipelines/${hog.body.id}/status`)).body;
      return s.state !== 'running' && s;
    }, 'the job to end');
    expect(status.state).toBe('failed');
    expect(status.error).toMatch(/exceeded its memory budget of 64 MB/);

    expect((await server.api('/api/health')).body).toMatchObject({ status: 'ok' });
    const next = await server.api('/api/pipelines', {
      format: 'eddy/pipeline@1', name: 'small',
      nodes: [{ id: 'gen', kind: 'source.generator', params: { ratePerSec: 0, limit: 500 } }, { id: 'live', kind: 'sink.live', params: {} }],
      edges: [{ from: 'gen', to: 'live' }],
    });
    await server.api(`/api/pipelines/${next.body.id}/deploy`, {});
    await until(async () => (await server.api(`/api/pipelines/${next.body.id}/status`)).body.state === 'finished', 'the next pipeline to finish');
    expect((await server.api(`/api/pipelines/${next.body.id}/metrics`)).body.nodes.gen.recordsOut).toBe(500);
  }, 120_000);
});
