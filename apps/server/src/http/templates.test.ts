import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineMetrics } from '@eddy/shared';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

describe('templates', () => {
  it('every template deploys at once on generated data and its live tables get rows', async () => {
    const { templates } = (await s.api('/api/templates')).body as { templates: { id: string; title: string }[] };
    expect(templates.map((t) => t.id)).toEqual(['checkout-personalisation', 'streaming-etl', 'event-triggered-campaign', 'ad-analytics', 'iot-anomaly', 'page-views']);
    await Promise.all(templates.map(async (t) => {
      const created = await s.api(`/api/templates/${t.id}`, { method: 'POST' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const lives = (created.body.document.nodes as { id: string; kind: string }[]).filter((n) => n.kind === 'sink.live').map((n) => n.id);
      expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
      const rows = await eventually(async () => {
        for (const node of lives) {
          const r = (await s.api(`/api/pipelines/${id}/nodes/${node}/rows`)).body;
          if (r.total > 0) return r.rows as Record<string, unknown>[];
        }
        return undefined;
      }, `rows from template ${t.id}`, 40_000);
      expect(rows.length).toBeGreaterThan(0);
      const m = (await s.api(`/api/pipelines/${id}/metrics`)).body as PipelineMetrics;
      expect(Object.values(m.nodes).some((n) => n.recordsOut > 0)).toBe(true);
      await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
    }));
    expect(existsSync(join(s.dataDir, 'samples/orders.jsonl'))).toBe(true);
    expect((await s.api('/api/templates/nope', { method: 'POST' })).status).toBe(404);
  }, 60_000);
});
