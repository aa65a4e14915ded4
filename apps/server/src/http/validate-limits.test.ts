import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

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
