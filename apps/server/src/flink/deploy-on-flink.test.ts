import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMAS } from '@eddy/shared';
import { cli } from '../cli.js';
import { sharedFlink } from '../test-utils/shared-flink.js';
import { eventually, type TestServer } from '../test-utils/harness.js';
import { closeServerOnSharedFlink, serverOnSharedFlink } from '../test-utils/flink-server.js';
import { readJsonLines } from './part-files.js';

/*
 * The server's deploy target `flink` on the local Flink the tests share (the first start resolves
 * the jars): the same rows as the embedded engine, figures per node from Flink's
 * REST API, 422 for untranslatable nodes, stop-with-savepoint.
 */
const dir = mkdtempSync(join(tmpdir(), 'eddy-deploy-flink-'));
const examples = fileURLToPath(new URL('../../../../examples/nexmark/', import.meta.url));
let s: TestServer;
const quiet = { out: () => {}, err: () => {} };

beforeAll(async () => {
  s = await serverOnSharedFlink(dir, join(examples, 'q0.json'), 'events.jsonl');
}, 900_000);

afterAll(() => closeServerOnSharedFlink(s, dir), 60_000);

/** NEXMark q5 over the events file; relative paths resolve against the server's data folder. */
function q5(out: string) {
  const doc = JSON.parse(readFileSync(join(examples, 'q5.json'), 'utf8'));
  const fields = Object.entries(SCENARIO_SCHEMAS.nexmark.fields).map(([name, f]) => ({ name, type: f.type }));
  doc.nodes[0] = { ...doc.nodes[0], kind: 'source.file', params: { path: 'events.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' }, fields } };
  doc.nodes.find((n: { kind: string }) => n.kind === 'sink.file').params.path = out;
  return doc;
}

describe('POST /api/pipelines/:id/deploy { target: "flink" }', () => {
  it('runs the pipeline as one Flink job: status with the job id and per-node figures, the same rows as Eddy', async () => {
    const id = (await s.api('/api/pipelines', { method: 'POST', json: q5('flink-out/q5') })).body.id as string;
    const deployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
    expect(deployed.body).toMatchObject({ target: 'flink', pipelineId: id, flink: { jobId: expect.stringMatching(/^[0-9a-f]{32}$/) } });
    const done = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${id}/status`)).body;
      return st.flink.state === 'FINISHED' && st;
    }, 'the bounded Flink job to finish', 120_000);
    expect(done.flink.nodes.events.recordsIn).toBe(20_000);
    // Every node has figures: the filter 'bids' those of the source's vertex, which Flink chained it into.
    expect(Object.keys(done.flink.nodes).sort()).toEqual(['bids', 'bids_per_auction', 'events', 'out']);
    expect(done.flink.nodes.bids).toMatchObject({ recordsIn: 20_000, shared: true });
    expect(done.flink.webUrl).toContain(done.flink.jobId);
    expect(done).toMatchObject({ target: 'flink', state: 'finished' });

    copyFileSync(join(s.dataDir, 'events.jsonl'), join(dir, 'events.jsonl'));
    writeFileSync(join(dir, 'q5.json'), JSON.stringify(q5('eddy-q5.jsonl')));
    expect(await cli(['run', join(dir, 'q5.json'), '--quiet'], quiet)).toBe(0);
    const canonical = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
    expect(canonical(readJsonLines(join(s.dataDir, 'flink-out/q5')))).toEqual(canonical(readJsonLines(join(dir, 'eddy-q5.jsonl'))));
  }, 300_000);

  it('names untranslatable nodes before submitting (422), and refuses an unknown target (400)', async () => {
    const doc = q5('never');
    doc.nodes.push({ id: 'hook', kind: 'sink.webhook', params: { url: 'http://127.0.0.1:9/x' } });
    doc.edges.push({ from: 'bids_per_auction', to: 'hook' });
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    const r = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('not_translatable');
    expect(r.body.error.details.problems).toEqual([{ nodeId: 'hook', message: expect.stringMatching(/no built-in HTTP sink/) }]);
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'spark' } })).status).toBe(400);
  });

  it('stop takes a Flink savepoint of an unbounded job, also right after the deploy', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'unbounded',
      nodes: [{ id: 'gen', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 50, limit: 0 } }, { id: 'log', kind: 'sink.log', params: {} }],
      edges: [{ from: 'gen', to: 'log' }],
    };
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } })).status).toBe(200);
    // Stop at once, as a user may: the job's tasks are still starting (Flink refuses a savepoint until they run).
    const stopped = await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    expect(stopped.body.flink.savepoint).toMatch(/^file:.*savepoint-/);
    expect(stopped.body.state).toBe('stopped');
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.flink.state === 'FINISHED', 'the job to end', 60_000);
  }, 300_000);

  it('DELETE of a pipeline running on Flink cancels its Flink job', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'deleted while on Flink',
      nodes: [{ id: 'gen', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 50, limit: 0 } }, { id: 'log', kind: 'sink.log', params: {} }],
      edges: [{ from: 'gen', to: 'log' }],
    };
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    const deployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } });
    expect(deployed.status).toBe(200);
    const jobId = deployed.body.flink.jobId as string;
    const restUrl = (await sharedFlink()).webUrl.replace(/\/$/, '');
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.flink.nodes.gen?.vertexStatus === 'RUNNING', 'the job to run', 120_000);
    expect((await s.api(`/api/pipelines/${id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(async () => ((await (await fetch(`${restUrl}/jobs/${jobId}`)).json()) as { state: string }).state === 'CANCELED', 'the Flink job to be cancelled', 60_000);
    expect((await s.api(`/api/pipelines/${id}/status`)).status).toBe(404);
  }, 300_000);
});
