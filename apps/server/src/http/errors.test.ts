import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, viewsPerCountry, type TestServer } from '../test-utils/harness.js';
import { PipelineStore } from '../store/pipeline-store.js';
import { JobManager } from '../jobs/job-manager.js';
import { DomainError, NotFound, NotRunning, StaleRevision } from '../domain-errors.js';
import { STATUS_OF } from './errors.js';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => { await s.destroy(); });

const ingestible = {
  format: 'eddy/pipeline@1', name: 'ingest',
  nodes: [{ id: 'in', kind: 'source.http', params: {} }, { id: 'live', kind: 'sink.live', params: {} }],
  edges: [{ from: 'in', to: 'live' }],
};

describe('domain errors: jobs and store throw them, with no HTTP in them', () => {
  it('the store and the job manager throw typed errors a caller can tell apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-domain-'));
    const store = new PipelineStore(dir);
    await store.load();
    const jobs = new JobManager(store, dir, 'memory');
    try {
      expect(() => store.require('nope')).toThrow(NotFound);
      const p = await store.create(viewsPerCountry() as never);
      await store.replace(p.id, p.document);
      await expect(store.replace(p.id, p.document, 1)).rejects.toBeInstanceOf(StaleRevision);
      await expect(jobs.savepoint(p.id)).rejects.toBeInstanceOf(NotRunning);
      const err = await jobs.savepoint(p.id).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).not.toHaveProperty('status');
    } finally {
      await jobs.stopAll();
    }
  });
});

describe('http/errors.ts maps each kind to one status, as { error: { code, message, details } }', () => {
  it('covers every kind of the table', () => {
    expect(STATUS_OF).toEqual({ not_found: 404, invalid: 400, too_large: 413, stale_revision: 409, not_running: 409, not_translatable: 422, busy: 503, unavailable: 503 });
  });

  it('answers each domain error with its status and code', async () => {
    const id = (await s.api('/api/pipelines', { method: 'POST', json: viewsPerCountry() })).body.id as string;
    const cases: [string, RequestInit & { json?: unknown }, number, string][] = [
      ['/api/pipelines/nope/deploy', { method: 'POST' }, 404, 'not_found'],
      [`/api/pipelines/${id}/nodes/ghost/rows`, {}, 404, 'not_found'],
      [`/api/pipelines/${id}/savepoint`, { method: 'POST' }, 409, 'not_running'],
      [`/api/pipelines/${id}/nodes/per_country/state`, {}, 409, 'not_running'],
      [`/api/pipelines/${id}?revision=7`, { method: 'PUT', json: viewsPerCountry() }, 409, 'stale_revision'],
      [`/api/pipelines/${id}?revision=x`, { method: 'PUT', json: viewsPerCountry() }, 400, 'invalid_revision'],
      [`/api/pipelines/${id}/restore`, { method: 'POST', json: { checkpointId: 424242 } }, 400, 'unknown_checkpoint'],
      [`/api/pipelines/${id}/deploy`, { method: 'POST', json: { fresh: 1 } }, 400, 'invalid_body'],
      [`/api/pipelines/${id}/deploy`, { method: 'POST', json: { target: 'flink' } }, 503, 'flink_not_configured'],
      ['/api/pipelines', { method: 'POST', json: { format: 'eddy/pipeline@1', name: 'x', nodes: [{ id: 'a', kind: 'nope' }] } }, 400, 'invalid_pipeline'],
      [`/api/ingest/${id}/views`, { method: 'POST', json: { a: 1 } }, 409, 'not_running'],
      ['/api/templates/no-such-template', { method: 'POST' }, 404, 'not_found'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await s.api(path, init);
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status, code });
      expect(typeof res.body.error.message).toBe('string');
    }
    const stale = await s.api(`/api/pipelines/${id}?revision=7`, { method: 'PUT', json: viewsPerCountry() });
    expect(stale.body.error.details).toEqual({ currentRevision: 1, yourRevision: 7 });
  });

  it('maps the runtime\'s ingest refusals through the same table', async () => {
    const id = (await s.api('/api/pipelines', { method: 'POST', json: ingestible })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
    const wrongNode = await s.api(`/api/ingest/${id}/live`, { method: 'POST', json: { a: 1 } });
    expect([wrongNode.status, wrongNode.body.error.code]).toEqual([400, 'not_ingestible']);
    const noNode = await s.api(`/api/ingest/${id}/ghost`, { method: 'POST', json: { a: 1 } });
    expect([noNode.status, noNode.body.error.code]).toEqual([404, 'not_found']);
    expect(noNode.body.error.message).toContain('ghost');
    await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' });
  });
});
