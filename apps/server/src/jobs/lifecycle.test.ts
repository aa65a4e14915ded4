import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

/** Clickstream events straight into a file: every event id once per job that ran. */
const toFile = (out: string, params: Record<string, unknown>) => ({
  format: 'eddy/pipeline@1', name: `lifecycle ${out}`, settings: { checkpointIntervalMs: 200 },
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', seed: 3, ...params } },
    { id: 'out', kind: 'sink.file', params: { path: out, format: 'jsonl' } },
  ],
  edges: [{ from: 'clicks', to: 'out' }],
});

const lines = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);
const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const create = async (doc: object) => (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;

describe('lifecycle calls on one pipeline run one at a time', () => {
  it('eight parallel deploys start one job: all answer 200 with that job, and the output has every event once', async () => {
    const out = `out/eight-${Date.now()}.jsonl`;
    const id = await create(toFile(out, { ratePerSec: 2000, limit: 3000 }));
    const answers = await Promise.all(Array.from({ length: 8 }, () => s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.every((a) => a.body.state === 'running')).toBe(true);
    expect(new Set(answers.map((a) => a.body.startedAt)).size).toBe(1); // the same job each time
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.state === 'finished', 'the job to finish');
    const ids = lines(join(s.dataDir, out)).map((l) => JSON.parse(l).event_id as string);
    expect(ids.length).toBe(3000);
    expect(new Set(ids).size).toBe(3000);
    expect((await s.api(`/api/pipelines/${id}/metrics`)).body.nodes.out.recordsIn).toBe(3000);
  });

  it('DELETE racing deploys is final: 404 afterwards, no job left running, no rows arriving', async () => {
    for (const startRunning of [false, true]) {
      const out = `out/delete-${startRunning}-${Date.now()}.jsonl`;
      const id = await create(toFile(out, { ratePerSec: 500 }));
      if (startRunning) expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
      const deploy = () => s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
      const [del, ...deploys] = await Promise.all([s.api(`/api/pipelines/${id}`, { method: 'DELETE' }), deploy(), deploy(), deploy(), deploy()]);
      expect(del.status).toBe(204);
      // Each deploy ran before the DELETE (200, then stopped by it) or after it (404): nothing in between.
      for (const d of deploys) expect(d.status === 200 || (d.status === 404 && d.body.error.code === 'not_found'), JSON.stringify(d.body)).toBe(true);
      expect((await s.api(`/api/pipelines/${id}`)).status).toBe(404);
      expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(404);
      expect((await s.api('/api/pipelines')).body.pipelines.some((p: { id: string }) => p.id === id)).toBe(false);
      // The job is stopped: the file stops growing (a generator at 500/s would add rows in any 600 ms).
      const size = sizeOf(join(s.dataDir, out));
      await new Promise((r) => setTimeout(r, 600));
      expect(sizeOf(join(s.dataDir, out))).toBe(size);
    }
  });

  it('parallel PUTs of the same revision: one wins, the others are stale', async () => {
    const id = await create(toFile('out/put.jsonl', { ratePerSec: 10 }));
    const doc = toFile('out/put.jsonl', { ratePerSec: 20 });
    const answers = await Promise.all(Array.from({ length: 4 }, () => s.api(`/api/pipelines/${id}?revision=1`, { method: 'PUT', json: doc })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409]);
    expect((await s.api(`/api/pipelines/${id}`)).body.revision).toBe(2);
  });
});
