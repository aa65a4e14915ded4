import { Router } from 'express';
import { PipelineValidationError } from '@eddy/shared';
import { HttpError, notFound } from './errors.js';
import { invalidPipeline } from './pipelines-routes.js';
import type { PipelineStore, StoredPipeline } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';

/** Lifecycle and live views of deployed pipelines. */
export function runtimeRoutes(store: PipelineStore, jobs: JobManager): Router {
  const r = Router();
  const find = (id: string): StoredPipeline => store.require(id);
  const findNode = (p: StoredPipeline, nodeId: string) => {
    const node = p.document.nodes.find((n) => n.id === nodeId);
    if (!node) throw notFound(`Node '${nodeId}' in pipeline '${p.id}'`);
    return node;
  };

  r.post('/pipelines/:id/deploy', async (req, res) => {
    const p = find(req.params.id);
    try {
      res.json(await jobs.deploy(p));
    } catch (err) {
      if (err instanceof PipelineValidationError) throw invalidPipeline(err.errors);
      throw err;
    }
  });

  r.post('/pipelines/:id/stop', async (req, res) => {
    res.json(await jobs.stop(find(req.params.id).id));
  });

  r.get('/pipelines/:id/status', (req, res) => {
    res.json(jobs.status(find(req.params.id).id));
  });

  r.get('/pipelines/:id/metrics', (req, res) => {
    res.json(jobs.metrics(find(req.params.id)));
  });

  r.get('/pipelines/:id/nodes/:nodeId/rows', (req, res) => {
    const p = find(req.params.id);
    const node = findNode(p, req.params.nodeId);
    if (node.kind !== 'sink.live') throw new HttpError(400, 'not_a_live_sink', `Node '${node.id}' is a ${node.kind}; rows are kept by sink.live nodes`);
    const { rows, total } = jobs.rows(p.id, node.id);
    res.json({ rows, total });
  });

  r.get('/pipelines/:id/nodes/:nodeId/state', (req, res) => {
    const p = find(req.params.id);
    const node = findNode(p, req.params.nodeId);
    const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new HttpError(400, 'invalid_limit', 'limit must be a positive integer');
    const key = typeof req.query.key === 'string' ? req.query.key : undefined;
    const state = jobs.nodeState(p.id, node.id, { key, limit });
    if (!state) throw new HttpError(409, 'not_running', `Pipeline '${p.id}' is not running; state lives in a running deployment`);
    res.json(state);
  });

  r.get('/pipelines/:id/dead-letters', (req, res) => {
    const p = find(req.params.id);
    res.json({ deadLetters: jobs.deadLetters(p.id), total: jobs.latestMetrics(p.id)?.deadLetters ?? 0 });
  });

  return r;
}
