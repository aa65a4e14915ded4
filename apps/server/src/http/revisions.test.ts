import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

describe('pipeline revisions', () => {
  it('keeps every save with a summary of what changed; an old one reads back and restores by PUT', async () => {
    const created = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() });
    const id = created.body.id as string;
    const v2 = viewsPerCountry();
    v2.nodes = v2.nodes.map((n) => (n.kind === 'filter' ? { ...n, params: { ...n.params, where: 'true' } } : n));
    expect((await s.api(`/api/pipelines/${id}`, { method: 'PUT', json: v2, headers: { 'if-match': '1' } })).status).toBe(200);

    const list = await s.api(`/api/pipelines/${id}/revisions`);
    expect(list.status).toBe(200);
    expect(list.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(list.body.revisions[0].summary).toMatch(/^changed \w+ \(params\.where\)$/);
    expect(list.body.revisions[1].summary).toBe('created');

    const first = await s.api(`/api/pipelines/${id}/revisions/1`);
    expect(first.body.document).toEqual(created.body.document);
    const restored = await s.api(`/api/pipelines/${id}`, { method: 'PUT', json: first.body.document, headers: { 'if-match': '2' } });
    expect(restored.body.revision).toBe(3);
    expect((await s.api(`/api/pipelines/${id}/revisions`)).body.revisions[0].summary).toMatch(/^changed \w+ \(params\.where\)$/);

    expect((await s.api(`/api/pipelines/${id}/revisions/9`)).status).toBe(404);
    expect((await s.api(`/api/pipelines/${id}/revisions/x`)).status).toBe(400);
    await s.api(`/api/pipelines/${id}`, { method: 'DELETE' });
    expect((await s.api(`/api/pipelines/${id}/revisions`)).status).toBe(404);
  });

  it('exports canonical JSON: stable key order, pretty-printed', async () => {
    const { body } = await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() });
    const res = await fetch(`${s.url}/api/pipelines/${body.id}/export?format=json`);
    const text = await res.text();
    expect(text.startsWith('{\n  "format": "eddy/pipeline@2",\n  "name": ')).toBe(true);
  });
});
