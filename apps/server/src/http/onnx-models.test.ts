import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

let s: TestServer;
const MODELS = fileURLToPath(new URL('../../../../examples/models/', import.meta.url));
beforeAll(async () => {
  s = await startServer();
  mkdirSync(join(s.dataDir, 'models'), { recursive: true });
  copyFileSync(join(MODELS, 'fraud-trees.onnx'), join(s.dataDir, 'models', 'fraud-trees.onnx'));
  writeFileSync(join(s.dataDir, 'models', 'broken.onnx'), 'no model here');
});
afterAll(async () => { await s.destroy(); });

const scoring = (path: string, features = ['amount', 'attempts', 'age']) => ({
  format: 'eddy/pipeline@1', name: `scores with ${path}`, settings: { restart: { strategy: 'none' } },
  nodes: [
    { id: 'gen', kind: 'source.generator', params: { scenario: 'clickstream', limit: 50 } },
    { id: 'fraud', kind: 'score', params: {
      features: features.map((name, i) => ({ name, expr: ['price', 'quantity', 'price * quantity'][i] ?? '0' })),
      model: { type: 'onnx', path, outputs: { fraud_label: 'label' } }, output: 'p' } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'gen', to: 'fraud' }, { from: 'fraud', to: 'live' }],
});

describe('ONNX models on the server', () => {
  it('validate reads the model: a feature count that does not fit is an error on the node', async () => {
    expect((await s.api('/api/validate', { method: 'POST', json: scoring('models/fraud-trees.onnx') })).body).toEqual({ ok: true, errors: [] });
    const v = await s.api('/api/validate', { method: 'POST', json: scoring('models/fraud-trees.onnx', ['amount', 'attempts']) });
    expect(v.body.ok).toBe(false);
    expect(v.body.errors).toEqual([{ code: 'model_mismatch', nodeId: 'fraud', path: 'nodes[1].params.model',
      message: "The ONNX model models/fraud-trees.onnx does not fit the node: The model's input 'features' takes 3 features; the node gives 2 (amount, attempts)" }]);
  });

  it('a deployed pipeline scores with it; a model that does not load fails its job with the reason, not the server', async () => {
    const good = await s.api('/api/pipelines', { method: 'POST', json: scoring('models/fraud-trees.onnx') });
    await s.api(`/api/pipelines/${good.body.id}/deploy`, { method: 'POST' });
    const rows = await eventually(async () => {
      const r = (await s.api(`/api/pipelines/${good.body.id}/nodes/live/rows`)).body.rows as { p: number; fraud_label: number }[];
      return r?.length === 50 && r;
    }, 'scored rows');
    for (const r of rows) {
      expect(r.p).toBeGreaterThan(0);
      expect(r.p).toBeLessThan(1);
      expect(r.fraud_label).toBe(r.p > 0.5 ? 1 : 0);
    }

    const bad = await s.api('/api/pipelines', { method: 'POST', json: scoring('models/broken.onnx') });
    await s.api(`/api/pipelines/${bad.body.id}/deploy`, { method: 'POST' });
    const status = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${bad.body.id}/status`)).body;
      return st.state === 'failed' && st;
    }, 'the job to fail');
    expect(status.error).toMatch(/score 'fraud'.*The ONNX model models\/broken.onnx does not load/);
    expect((await s.api('/api/health')).body.status).toBe('ok');
  });
});
