import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

const withWhere = (where: string) => {
  const doc = viewsPerCountry();
  doc.nodes[1].params = { where };
  return doc;
};

describe('expressions nested too deep', () => {
  const deep = `${'('.repeat(900)}event_type = 'x'${')'.repeat(900)}`;

  it('POST /api/validate answers 200 with the limit, the node and the path', async () => {
    const res = await s.api('/api/validate', { method: 'POST', json: withWhere(deep) });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.errors).toEqual([expect.objectContaining({
      nodeId: 'views', path: 'nodes[1].params.where', message: expect.stringContaining('nests deeper than 256 levels'),
    })]);
  });

  it('saving answers 400, and the server keeps serving', async () => {
    const res = await s.api('/api/pipelines', { method: 'POST', json: withWhere(`a${' + a'.repeat(600)} > 1`) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_pipeline');
    expect(res.body.error.message).toMatch(/node 'views' at nodes\[1\]\.params\.where: The expression nests deeper than 256 levels/);
    expect((await s.api('/api/health')).status).toBe(200);
  });
});

describe('absurd params', () => {
  const withWindow = (params: Record<string, unknown>) => {
    const doc = viewsPerCountry();
    doc.nodes[2].params = { ...doc.nodes[2].params, ...params };
    return doc;
  };

  it.each([
    ['10m sliding by 1ms', { type: 'sliding', size: '10m', slide: '1ms' }, /puts each record into 600,000 windows; at most 1000/],
    ['size 0ms', { size: '0ms' }, /Must be longer than 0ms/],
    ['a 400-digit size', { size: `${'1'.repeat(400)}s` }, /At most 365d/],
  ])('%s is refused at validation and on save, with the limit', async (_what, params, message) => {
    const checked = await s.api('/api/validate', { method: 'POST', json: withWindow(params) });
    expect(checked.status).toBe(200);
    expect(checked.body.ok).toBe(false);
    expect(checked.body.errors[0]).toMatchObject({ nodeId: 'per_country', message: expect.stringMatching(message) });
    const saved = await s.api('/api/pipelines', { method: 'POST', json: withWindow(params) });
    expect(saved.status).toBe(400);
    expect(saved.body.error.message).toMatch(message);
  });

  it('a generator startTime of "NaN" is refused', async () => {
    const doc = viewsPerCountry();
    doc.nodes[0].params = { ...doc.nodes[0].params, startTime: 'NaN' };
    const res = await s.api('/api/validate', { method: 'POST', json: doc });
    expect(res.body.errors).toEqual([expect.objectContaining({ nodeId: 'clicks', path: 'nodes[0].params.startTime' })]);
  });
});

describe('an ingested record nested 5000 deep', () => {
  it('is a dead letter with the reason; the pipeline and the server keep going', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'Deep ingest',
      nodes: [{ id: 'in', kind: 'source.http', params: {} }, { id: 'live', kind: 'sink.live', params: {} }],
      edges: [{ from: 'in', to: 'live' }],
    };
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST', json: {} })).status).toBe(200);
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const post = (body: string) => s.api(`/api/ingest/${id}/in`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post(deep)).status).toBe(202);
    expect((await post('{"user":"ok"}')).status).toBe(202);
    const rows = await eventually(async () => {
      const r = (await s.api(`/api/pipelines/${id}/nodes/live/rows`)).body.rows as { user: string }[];
      return r?.length === 1 && r;
    }, 'the shallow record');
    expect(rows).toEqual([expect.objectContaining({ user: 'ok' })]);
    const dead = await eventually(async () => {
      const d = (await s.api(`/api/pipelines/${id}/dead-letters`)).body.deadLetters as { reason: string }[];
      return d?.length === 1 && d;
    }, 'the dead letter');
    expect(dead[0]).toMatchObject({ nodeId: 'in', reason: 'The record nests deeper than 64 levels' });
    expect((await s.api('/api/health')).status).toBe(200);
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST', json: {} });
  });
});
