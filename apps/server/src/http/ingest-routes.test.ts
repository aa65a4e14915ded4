import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

const ingestPipeline = {
  format: 'eddy/pipeline@1', name: 'Ingest',
  nodes: [
    { id: 'in', kind: 'source.http', params: { fields: [{ name: 'user', type: 'string' }, { name: 'amount', type: 'number' }] } },
    { id: 'big', kind: 'filter', params: { where: 'amount > 10' } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'in', to: 'big' }, { from: 'big', to: 'live' }],
};
const post = (path: string, body: unknown, type = 'application/json') =>
  s.api(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': type } });

describe('POST /api/ingest/:pipelineId/:nodeId', () => {
  it('takes an object or an array of objects into a running pipeline (202), and the records flow', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: ingestPipeline });
    const id = body.id as string;
    expect((await post(`/api/ingest/${id}/in`, { user: 'a', amount: 5 })).status).toBe(409); // not deployed yet
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: {} })).status).toBe(200);
    const one = await post(`/api/ingest/${id}/in`, { user: 'a', amount: 50 });
    expect(one).toMatchObject({ status: 202, body: { accepted: 1 } });
    const many = await post(`/api/ingest/${id}/in`, [{ user: 'b', amount: 1 }, { user: 'c', amount: 99 }, { user: 'd', amount: 'lots' }]);
    expect(many).toMatchObject({ status: 202, body: { accepted: 3 } });
    const rows = await eventually(async () => {
      const r = (await s.api(`/api/pipelines/${id}/nodes/live/rows`)).body.rows as { user: string }[];
      return r.length === 2 && r;
    }, 'ingested rows');
    expect(rows.map((r) => r.user).sort()).toEqual(['a', 'c']);
    // A value of the wrong type is a dead letter with its reason, not a crash.
    const dead = await eventually(async () => (await s.api(`/api/pipelines/${id}/dead-letters`)).body.deadLetters?.length && (await s.api(`/api/pipelines/${id}/dead-letters`)).body.deadLetters, 'dead letter');
    expect(dead[0]).toMatchObject({ nodeId: 'big', record: { user: 'd', amount: 'lots' } });

    // Bad requests: clear errors, the pipeline keeps running.
    const notObjects = await post(`/api/ingest/${id}/in`, [{ ok: 1 }, 42]);
    expect(notObjects.status).toBe(400);
    expect(notObjects.body.error).toMatchObject({ code: 'invalid_records', details: { index: 1 } });
    expect((await post(`/api/ingest/${id}/in`, '{ nope')).status).toBe(400);
    expect((await post(`/api/ingest/${id}/in`, 'user=a', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(`/api/ingest/${id}/big`, { user: 'x', amount: 1 })).body.error).toMatchObject({ code: 'not_ingestible' });
    expect((await post(`/api/ingest/${id}/ghost`, { user: 'x', amount: 1 })).status).toBe(404);
    expect((await post('/api/ingest/nosuchpipeline/in', { user: 'x', amount: 1 })).status).toBe(404);
    expect((await s.api(`/api/pipelines/${id}/status`)).body.state).toBe('running');

    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST', json: {} });
    expect((await post(`/api/ingest/${id}/in`, { user: 'a', amount: 50 })).status).toBe(409);
  });

  it('refuses exactly-once with an HTTP source, naming why', async () => {
    const res = await s.api('/api/validate', { method: 'POST', json: { ...ingestPipeline, settings: { guarantee: 'exactly-once' },
      nodes: [...ingestPipeline.nodes.slice(0, 2), { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl' } }],
      edges: [{ from: 'in', to: 'big' }, { from: 'big', to: 'out' }] } });
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([expect.stringMatching(/source.http 'in' cannot give it: records POSTed over HTTP are not kept for replay/)]);
  });
});
