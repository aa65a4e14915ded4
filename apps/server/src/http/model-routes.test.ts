import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import type { NodeMetrics } from '@eddy/shared';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';
import { promoteChallenger } from './model-routes.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

const champion = { type: 'logistic', weights: { price: 0.01 }, intercept: -1 };
const challenger = { type: 'logistic', weights: { price: 0.012, quantity: 0.1 }, intercept: -1.2 };

/** Clicks scored by a champion and a challenger, with drift against the first 200 records. */
const shadowed = () => ({
  format: 'eddy/pipeline@1', name: 'Shadow scoring', settings: { checkpointIntervalMs: 200 },
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 2000, seed: 3 } },
    { id: 'propensity', kind: 'score', params: {
      features: [{ name: 'price', expr: 'price' }, { name: 'quantity', expr: 'quantity' }],
      model: champion, challenger, output: 'p', drift: { records: 200 } } },
    { id: 'live', kind: 'sink.live', params: {} },
    { id: 'shadow_live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'propensity' }, { from: 'propensity', to: 'live' },
    { from: 'propensity', fromPort: 'shadow', to: 'shadow_live' }],
});

describe('champion and challenger over HTTP', () => {
  it('reports model figures in metrics and /metrics; promote makes the challenger the model in a new revision and redeploys from a savepoint', async () => {
    const created = await s.api('/api/pipelines', { method: 'POST', json: shadowed() });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);

    const model = await eventually(async () => {
      const n = (await s.api(`/api/pipelines/${id}/metrics`)).body.nodes.propensity as NodeMetrics;
      return n.model && n.model.compared > 0 && n.model.drift?.price !== undefined && n.model;
    }, 'model figures with drift');
    expect(model.agreement).toBeGreaterThanOrEqual(0);
    expect(model.agreement).toBeLessThanOrEqual(1);
    expect(model.p95AbsDiff).toBeGreaterThanOrEqual(model.p50AbsDiff!);
    expect(model).toMatchObject({ labelled: 0, champion: { auc: null, logLoss: null }, challenger: { auc: null, logLoss: null } });
    expect(Object.keys(model.drift!).sort()).toEqual(['p', 'price', 'quantity']);
    const rows = await eventually(async () => {
      const r = (await s.api(`/api/pipelines/${id}/nodes/shadow_live/rows`)).body.rows as Record<string, unknown>[];
      return r?.length > 0 && r;
    }, 'shadow rows');
    expect(rows[0]).toEqual(expect.objectContaining({ p: expect.any(Number), challenger_score: expect.any(Number) }));

    const text = await (await fetch(`${s.url}/metrics`)).text();
    const l = `pipeline="${id}",node="propensity"`;
    expect(text).toMatch(new RegExp(`eddy_model_agreement_ratio\\{${l}\\} [\\d.e-]+\\n`));
    expect(text).toMatch(new RegExp(`eddy_model_abs_diff_p95\\{${l}\\} [\\d.e-]+\\n`));
    expect(text).toMatch(new RegExp(`eddy_model_compared_total\\{${l}\\} \\d+\\n`));
    expect(text).toMatch(new RegExp(`eddy_model_psi\\{${l},feature="price"\\} [\\d.e-]+\\n`));
    expect(text).toMatch(new RegExp(`eddy_model_drifting\\{${l}\\} [01]\\n`));
    const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');

    const before = (await s.api(`/api/pipelines/${id}`)).body.revision as number;
    const promoted = await s.api(`/api/pipelines/${id}/nodes/propensity/promote`, { method: 'POST' });
    expect(promoted.status).toBe(200);
    expect(promoted.body.pipeline.revision).toBe(before + 1);
    expect(promoted.body.redeployed).toBe(true);
    // Redeployed from a savepoint of the running revision: the nodes (same ids and kinds) keep their state.
    expect(promoted.body.plan.checkpointId).toEqual(expect.any(Number));
    expect(promoted.body.plan.nodes.map((n: { nodeId: string; action: string }) => [n.nodeId, n.action]))
      .toEqual(expect.arrayContaining([['clicks', 'kept'], ['propensity', 'kept']]));
    const stored = (await s.api(`/api/pipelines/${id}`)).body;
    const node = stored.document.nodes.find((n: { id: string }) => n.id === 'propensity');
    expect(node.params.model).toEqual(challenger);
    expect(node.params).not.toHaveProperty('challenger');
    expect(stored.revision).toBe(before + 1);
    // The shadow branch went with the challenger: its edge, and the sink only it fed.
    expect(stored.document.nodes.map((n: { id: string }) => n.id)).toEqual(['clicks', 'propensity', 'live']);
    expect(stored.document.edges).toEqual([{ from: 'clicks', to: 'propensity' }, { from: 'propensity', to: 'live' }]);
    const revisions = (await s.api(`/api/pipelines/${id}/revisions`)).body.revisions as { revision: number }[];
    expect(revisions.map((r) => r.revision)).toContain(before);
    const status = (await s.api(`/api/pipelines/${id}/status`)).body;
    expect(status).toMatchObject({ state: 'running', revision: before + 1 });

    // Promoting again is refused; unknown nodes and other kinds too.
    expect((await s.api(`/api/pipelines/${id}/nodes/propensity/promote`, { method: 'POST' })).body.error.code).toBe('no_challenger');
    expect((await s.api(`/api/pipelines/${id}/nodes/nope/promote`, { method: 'POST' })).status).toBe(404);
    expect((await s.api(`/api/pipelines/${id}/nodes/live/promote`, { method: 'POST' })).body.error.code).toBe('not_a_score_node');
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });
});

describe('promoteChallenger', () => {
  it('drops the shadow branch down to nodes that still have another input', () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'x',
      nodes: [{ id: 'src', kind: 'source.generator', params: {} }, { id: 's', kind: 'score', params: { model: champion, challenger, challengerOutput: 'c' } },
        { id: 'f', kind: 'filter', params: {} }, { id: 'u', kind: 'union', params: {} }, { id: 'k', kind: 'sink.log', params: {} }],
      edges: [{ from: 'src', to: 's' }, { from: 's', fromPort: 'shadow', to: 'f' }, { from: 'f', to: 'u' }, { from: 's', to: 'u' }, { from: 'u', to: 'k' }],
    } as never;
    const out = promoteChallenger(doc, 'p', 's');
    expect(out.nodes.map((n) => n.id)).toEqual(['src', 's', 'u', 'k']);
    expect(out.nodes[1].params).toEqual({ model: challenger });
    expect(out.edges).toEqual([{ from: 'src', to: 's' }, { from: 's', to: 'u' }, { from: 'u', to: 'k' }]);
  });
});
