import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
let dataDir: string;
beforeAll(async () => { s = await startServer(); dataDir = s.dataDir; });
afterAll(async () => { await s.destroy(); });

const doc = (limit: number) => ({
  format: 'eddy/pipeline@1', name: 'Preview me',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', limit, ratePerSec: 1000 } },
    { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
    { id: 'out', kind: 'sink.file', params: { path: 'preview-must-not-exist.jsonl' } },
  ],
  edges: [{ from: 'clicks', to: 'views' }, { from: 'views', to: 'out' }],
});

describe('POST /api/preview', () => {
  it('runs the pipeline with sinks captured: what each edge carried, what each sink would receive, nothing written', async () => {
    const res = await s.api('/api/preview', { method: 'POST', json: { document: doc(60), seconds: 5, limit: 5 } });
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('finished');
    const [first, second] = res.body.edges;
    expect(first).toMatchObject({ from: 'clicks', to: 'views', count: 60 });
    expect(first.records).toHaveLength(5);
    expect(second.count).toBeGreaterThan(0);
    expect(second.count).toBeLessThan(60);
    expect(second.records.every((r: { event_type: string }) => r.event_type === 'page_view')).toBe(true);
    expect(res.body.sinks.out).toMatchObject({ kind: 'sink.file', count: second.count });
    expect(existsSync(join(dataDir, 'preview-must-not-exist.jsonl'))).toBe(false);
  });

  it('stops an unbounded source after the time asked (state sampled)', async () => {
    const res = await s.api('/api/preview', { method: 'POST', json: { document: doc(0), seconds: 0.5 } });
    expect(res.body.state).toBe('sampled');
    expect(res.body.edges[0].count).toBeGreaterThan(0);
    expect(res.body.edges[0].records).toHaveLength(20);
  });

  it('refuses an invalid document or out-of-range options with 400', async () => {
    const bad = await s.api('/api/preview', { method: 'POST', json: { document: { ...doc(1), nodes: [] , edges: [{ from: 'x', to: 'y' }] } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_pipeline');
    const long = await s.api('/api/preview', { method: 'POST', json: { document: doc(1), seconds: 60 } });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain("'seconds' must be a number from 0.5 to 10");
  });
});
