import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

describe('pipelines API', () => {
  it('answers health and the catalog', async () => {
    expect((await s.api('/api/health')).body).toEqual({ status: 'ok', version: '0.1.0' });
    const catalog = (await s.api('/api/catalog')).body;
    expect(catalog.kinds.map((k: { kind: string }) => k.kind)).toEqual(expect.arrayContaining(['source.generator', 'filter', 'window', 'sink.live']));
    expect(catalog.kinds.find((k: { kind: string }) => k.kind === 'filter').paramsSchema.properties.where['x-eddy']).toBe('expression');
  });

  it('seeds the demo pipeline on first start', async () => {
    const { body } = await s.api('/api/pipelines');
    expect(body.pipelines.map((p: { name: string }) => p.name)).toContain('Page views per country');
  });

  it('creates, reads, replaces, lists and deletes', async () => {
    const created = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ name: 'Views per country', revision: 1, state: 'stopped' });
    expect(created.headers.get('location')).toBe(`/api/pipelines/${id}`);

    const read = await s.api(`/api/pipelines/${id}`);
    expect(read.body.document.nodes).toHaveLength(4);
    expect(read.body.document.settings.mode).toBe('native');

    const renamed = { ...viewsPerCountry(), name: 'Renamed' };
    const put = await s.api(`/api/pipelines/${id}?revision=1`, { method: 'PUT', json: renamed });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: 'Renamed', revision: 2 });

    const stale = await s.api(`/api/pipelines/${id}`, { method: 'PUT', json: renamed, headers: { 'if-match': '1' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_revision', details: { currentRevision: 2, yourRevision: 1 } });

    const list = await s.api('/api/pipelines');
    expect(list.body.pipelines.find((p: { id: string }) => p.id === id)).toMatchObject({ name: 'Renamed', revision: 2 });

    expect((await s.api(`/api/pipelines/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await s.api(`/api/pipelines/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });

  it('exports JSON that imports back to the same document', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() });
    const exported = await s.api(`/api/pipelines/${body.id}/export?format=json`);
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="?Views-per-country\.json"?$/);
    const again = await s.api('/api/pipelines', { method: 'POST', json: exported.body });
    expect((await s.api(`/api/pipelines/${again.body.id}`)).body.document).toEqual(exported.body);
    expect(exported.body).toEqual(body.document);
    expect((await s.api(`/api/pipelines/${body.id}/export?format=yaml`)).status).toBe(400);
  });

  it('exports Flink SQL, or 422 naming the node that cannot be translated', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() });
    const res = await s.api(`/api/pipelines/${body.id}/export?format=flink-sql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="?Views-per-country\.sql"?$/);
    const sql = res.body as string;
    expect(sql).toMatch(/CREATE TABLE `clicks` \([\s\S]*'connector' = 'datagen'/);
    expect(sql).toContain('FROM TABLE(TUMBLE(');
    const base = viewsPerCountry();
    const hooked = { ...base, nodes: [...base.nodes, { id: 'hook', kind: 'sink.webhook', params: { url: 'http://127.0.0.1:9/x' } }],
      edges: [...base.edges, { from: 'clicks', to: 'hook' }] };
    const created = await s.api('/api/pipelines', { method: 'POST', json: hooked });
    expect(created.status).toBe(201);
    const refused = await s.api(`/api/pipelines/${created.body.id}/export?format=flink-sql`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('not_translatable');
    expect(refused.body.error.message).toMatch(/node 'hook': Flink has no built-in HTTP sink/);
    expect(refused.body.error.details.problems).toEqual([{ nodeId: 'hook', message: expect.any(String) }]);
  });

  it('validates without saving', async () => {
    const ok = await s.api('/api/validate', { method: 'POST', json: viewsPerCountry() });
    expect(ok.body).toEqual({ ok: true, errors: [] });
    const bad = await s.api('/api/validate', { method: 'POST', json: { ...viewsPerCountry(), nodes: [] } });
    expect(bad.status).toBe(200);
    expect(bad.body.ok).toBe(false);
  });
});

describe('bad input', () => {
  const broken: [string, (d: any) => void, RegExp][] = [
    ['unknown format version', (d) => { d.format = 'eddy/pipeline@7'; }, /format: Unknown format version/],
    ['unknown kind', (d) => { d.nodes[1].kind = 'filtre'; }, /node 'views' at nodes\[1\]\.kind: Unknown node kind 'filtre'/],
    ['duplicate node id', (d) => { d.nodes[2].id = 'views'; }, /node 'views' at nodes\[2\]\.id: Node id 'views' is used twice/],
    ['dangling edge', (d) => { d.edges[0].to = 'ghost'; }, /edges\[0\]\.to: Edge 0 goes to unknown node 'ghost'/],
    ['unknown port', (d) => { d.edges[2].fromPort = 'nope'; }, /node 'per_country' at edges\[2\]\.fromPort: .*no output port 'nope'/],
    ['cycle', (d) => { d.nodes.push({ id: 'loop', kind: 'filter', params: { where: 'true' } }); d.edges[0] = { from: 'loop', to: 'views' }; d.edges.push({ from: 'views', to: 'loop' }); }, /part of a cycle/],
    ['missing param', (d) => { d.nodes[1].params = {}; }, /node 'views' at nodes\[1\]\.params\.where/],
    ['invalid param', (d) => { d.nodes[2].params.size = 'soon'; }, /node 'per_country' at nodes\[2\]\.params\.size: A duration/],
    ['expression syntax error', (d) => { d.nodes[1].params.where = "event_type = 'page_view"; }, /node 'views' at nodes\[1\]\.params\.where: Unterminated string/],
    ['unknown field in an expression', (d) => { d.nodes[1].params.where = "evnt_type = 'x'"; }, /Unknown field 'evnt_type'; did you mean 'event_type'/],
  ];

  it.each(broken)('refuses a document with a %s (400, node id and path in the message)', async (_name, breakIt, message) => {
    const doc = viewsPerCountry();
    breakIt(doc);
    const res = await s.api('/api/pipelines', { method: 'POST', json: doc });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_pipeline');
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details.errors.length).toBeGreaterThan(0);
  });

  it('refuses non-JSON, oversized and wrongly typed bodies, and keeps serving', async () => {
    const notJson = await s.api('/api/pipelines', { method: 'POST', body: '{"format": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
    const big = await s.api('/api/pipelines', { method: 'POST', json: { ...viewsPerCountry(), description: 'x'.repeat(1_200_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    const text = await s.api('/api/pipelines', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const array = await s.api('/api/pipelines', { method: 'POST', json: [1, 2] });
    expect(array.status).toBe(400);
    const unknownRoute = await s.api('/api/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error.code).toBe('not_found');
    expect((await s.api('/api/pipelines/..%2F..%2Fetc')).status).toBe(404);
    expect((await s.api('/api/health')).body.status).toBe('ok');
  });
});
