import { Router } from 'express';
import { Invalid, NotFound, NotRunning, NotTranslatable, Unavailable } from '../domain-errors.js';
import { FlinkSubmitError } from '../flink/submit.js';
import type { FlinkDeployments } from '../flink/deployments.js';
import type { PipelineStore, StoredPipeline } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';
import type { StartFrom } from '../jobs/checkpoints.js';

/** Lifecycle and live views of deployed pipelines. */
export function runtimeRoutes(store: PipelineStore, jobs: JobManager, flink?: FlinkDeployments): Router {
  const r = Router();
  const find = (id: string): StoredPipeline => store.require(id);
  const findNode = (p: StoredPipeline, nodeId: string) => {
    const node = p.document.nodes.find((n) => n.id === nodeId);
    if (!node) throw new NotFound(`Node '${nodeId}' in pipeline '${p.id}'`);
    return node;
  };

  const deploy = (p: StoredPipeline, from: StartFrom) => jobs.deploy(p, from);

  // Body (optional): { "fresh": true } ignores a pending savepoint and a running deployment's state.
  r.post('/pipelines/:id/deploy', async (req, res) => {
    const p = find(req.params.id);
    const body: unknown = req.body ?? {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Invalid('The deploy body is optional; when present it must be an object like { "fresh": true }', 'invalid_body');
    const fresh = (body as { fresh?: unknown }).fresh;
    if (fresh !== undefined && typeof fresh !== 'boolean') throw new Invalid("'fresh' must be true or false", 'invalid_body', { path: 'fresh' });
    const target = (body as { target?: unknown }).target ?? 'embedded';
    if (target !== 'embedded' && target !== 'flink') throw new Invalid("'target' is 'embedded' or 'flink'", 'invalid_body', { path: 'target' });
    if (target === 'flink') {
      res.json(await deployOnFlink(p));
      return;
    }
    if (flink?.isRunning(p.id)) throw new Invalid(`Pipeline '${p.id}' runs on Flink: stop it first`, 'running_on_flink');
    if (flink?.has(p.id)) await flink.forget(p.id);
    res.json(await deploy(p, fresh ? { fresh: true } : {}));
  });

  // Target flink: one Flink job through the configured SQL Gateway (docs/flink.md#deploy-from-the-server).
  const deployOnFlink = async (p: StoredPipeline) => {
    const gateway = flink?.gatewayUrl();
    if (!flink || !gateway) throw new Unavailable('No Flink SQL Gateway is configured: set EDDY_FLINK_GATEWAY or run `eddy flink start`', 'flink_not_configured');
    if (jobs.state(p.id) === 'running') throw new Invalid(`Pipeline '${p.id}' runs on the embedded engine: stop it first`, 'running_embedded');
    if (flink.isRunning(p.id)) throw new Invalid(`Pipeline '${p.id}' runs on Flink already: stop it first`, 'running_on_flink');
    try {
      return await flink.deploy(p, gateway);
    } catch (err) {
      if (!(err instanceof FlinkSubmitError)) throw err;
      if (err.reason === 'unreachable') throw new Unavailable(err.message, 'flink_unreachable');
      const problems = err.problems;
      throw new NotTranslatable(err.message, err.reason === 'refused' ? 'flink_refused' : 'not_translatable', { problems, statement: err.statement });
    }
  };

  r.post('/pipelines/:id/savepoint', async (req, res) => {
    const p = find(req.params.id);
    const savepoint = await jobs.savepoint(p.id);
    res.json({ savepoint, status: jobs.status(p.id) });
  });

  r.get('/pipelines/:id/checkpoints', async (req, res) => {
    const p = store.require(req.params.id);
    const latest = (flink?.has(p.id) && jobs.state(p.id) !== 'running' ? flink.latestMetrics(p.id) : undefined) ?? jobs.latestMetrics(p.id);
    res.json({ checkpoints: await jobs.checkpoints.list(p), resumeFrom: p.resumeFrom ?? null, metrics: latest?.checkpoints ?? null });
  });

  r.post('/pipelines/:id/restore', async (req, res) => {
    const p = find(req.params.id);
    const id = (req.body as { checkpointId?: unknown } | undefined)?.checkpointId;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
      throw new Invalid('Send { "checkpointId": <id> } with the id of a listed checkpoint', 'invalid_body', { path: 'checkpointId' });
    }
    res.json(await deploy(p, { checkpointId: id }));
  });

  // What the next deploy would keep, reset and drop; and, while running, what the current run did.
  r.get('/pipelines/:id/plan', async (req, res) => {
    const p = find(req.params.id);
    const running = jobs.state(p.id) === 'running';
    res.json({ next: running ? jobs.redeployPlan(p) : await jobs.checkpoints.plan(p), current: jobs.currentPlan(p.id) ?? null, running });
  });

  r.post('/pipelines/:id/stop', async (req, res) => {
    const id = find(req.params.id).id;
    // On Flink: stop-with-savepoint, unless the embedded engine runs it.
    if (flink?.has(id) && jobs.state(id) !== 'running') res.json(await flink.stop(id));
    else res.json(await jobs.stop(id));
  });

  r.get('/pipelines/:id/status', async (req, res) => {
    const id = find(req.params.id).id;
    res.json(flink?.has(id) && jobs.state(id) !== 'running' ? await flink.status(id) : jobs.status(id));
  });

  r.get('/pipelines/:id/metrics', (req, res) => {
    const p = find(req.params.id);
    const onFlink = flink?.has(p.id) && jobs.state(p.id) !== 'running' ? flink.latestMetrics(p.id) : undefined;
    res.json(onFlink ?? jobs.metrics(p));
  });

  // Whether the designer can offer the deploy target flink (docs/flink.md#deploy-from-the-designer).
  r.get('/flink', async (_req, res) => {
    res.json(flink ? await flink.availability()
      : { configured: false, gatewayUrl: null, webUrl: null, reachable: false, reason: 'This server has no Flink deploy target' });
  });

  r.get('/pipelines/:id/nodes/:nodeId/rows', (req, res) => {
    const p = find(req.params.id);
    const node = findNode(p, req.params.nodeId);
    if (node.kind !== 'sink.live') throw new Invalid(`Node '${node.id}' is a ${node.kind}; rows are kept by sink.live nodes`, 'not_a_live_sink');
    const { rows, total } = jobs.rows(p.id, node.id);
    res.json({ rows, total });
  });

  r.get('/pipelines/:id/nodes/:nodeId/state', async (req, res) => {
    const p = find(req.params.id);
    const node = findNode(p, req.params.nodeId);
    const limit = req.query.limit === undefined ? undefined : Number(req.query.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Invalid('limit must be a positive integer', 'invalid_limit');
    const key = typeof req.query.key === 'string' ? req.query.key : undefined;
    const state = await jobs.nodeState(p.id, node.id, { key, limit });
    if (!state) throw new NotRunning(`Pipeline '${p.id}' is not running; state lives in a running deployment`, 'not_running');
    res.json(state);
  });

  r.get('/pipelines/:id/dead-letters', (req, res) => {
    const p = find(req.params.id);
    res.json({ deadLetters: jobs.deadLetters(p.id), total: jobs.latestMetrics(p.id)?.deadLetters ?? 0 });
  });

  return r;
}
