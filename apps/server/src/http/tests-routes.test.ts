import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

describe('a pipeline\'s test cases over the API', { timeout: 60_000 }, () => {
  it('runs a template\'s stored case (passes), fails it with per-sink diffs after an edit, and records a new case as a revision', async () => {
    const created = await s.api('/api/templates/checkout-personalisation', { method: 'POST' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const run = await s.api(`/api/pipelines/${id}/tests/run`, { method: 'POST', json: {} });
    expect(run.status).toBe(200);
    expect(run.body.cases).toEqual([expect.objectContaining({ name: 'sample', passed: true, diffs: [] })]);

    const doc = created.body.document;
    doc.nodes.find((n: { id: string }) => n.id === 'offers').params.routes[0].where = 'propensity >= 0.9 AND checkouts = 0';
    const put = await s.api(`/api/pipelines/${id}`, { method: 'PUT', json: doc });
    expect(put.status).toBe(200);
    const failed = await s.api(`/api/pipelines/${id}/tests/run`, { method: 'POST', json: { case: 'sample' } });
    const [result] = failed.body.cases;
    expect(result.passed).toBe(false);
    const discounts = result.diffs.find((d: { sink: string }) => d.sink === 'discounts');
    expect(discounts.missingCount).toBeGreaterThan(0);
    expect(discounts.missing.length).toBe(Math.min(20, discounts.missingCount));

    const rec = await s.api(`/api/pipelines/${id}/tests/record`, { method: 'POST', json: { name: 'fresh', seconds: 1, maxRecords: 120 } });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ name: 'fresh', inputs: { clicks: expect.any(Number) }, revision: put.body.revision + 1 });
    const stored = (await s.api(`/api/pipelines/${id}`)).body.document.tests.map((t: { name: string }) => t.name);
    expect(stored).toEqual(['sample', 'fresh']);
    const fresh = await s.api(`/api/pipelines/${id}/tests/run`, { method: 'POST', json: { case: 'fresh' } });
    expect(fresh.body.cases[0].passed).toBe(true);
  });

  it('refuses clearly: no case, unknown case, bad numbers', async () => {
    const created = await s.api('/api/pipelines', { method: 'POST', json: {
      format: 'eddy/pipeline@1', name: 'untested',
      nodes: [{ id: 'g', kind: 'source.generator', params: { scenario: 'clickstream' } }, { id: 'out', kind: 'sink.live', params: {} }],
      edges: [{ from: 'g', to: 'out' }],
    } });
    const id = created.body.id as string;
    const none = await s.api(`/api/pipelines/${id}/tests/run`, { method: 'POST', json: {} });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('no_test_case');
    const bad = await s.api(`/api/pipelines/${id}/tests/record`, { method: 'POST', json: { seconds: 999 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_test_request', message: "'seconds' must be a number from 0.5 to 60" });
    expect((await s.api('/api/pipelines/nope/tests/run', { method: 'POST', json: {} })).status).toBe(404);
  });
});
