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
    const res = await s.api('/api/pipelines', { method: 'POST', json: withWhere(`a${' + a'.repeat(3000)} > 1`) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_pipeline');
    expect(res.body.error.message).toMatch(/node 'views' at nodes\[1\]\.params\.where: The expression nests deeper than 256 levels/);
    expect((await s.api('/api/health')).status).toBe(200);
  });
});
