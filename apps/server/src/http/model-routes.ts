import { Router } from 'express';
import type { PipelineDocument } from '@eddy/shared';
import { Invalid, NotFound } from '../domain-errors.js';
import { summary, type PipelineStore } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';
import { requireDocument } from './pipelines-routes.js';

/**
 * The document with a score node's challenger made its model (champion): `challenger` and
 * its field name go, and so does the `shadow` branch, which only the challenger fed: the
 * edges from the `shadow` port, and the nodes left without any input by that, in turn.
 * Throws NotFound for an unknown node, Invalid for a node without a challenger.
 */
export function promoteChallenger(document: PipelineDocument, pipelineId: string, nodeId: string): PipelineDocument {
  const node = document.nodes.find((n) => n.id === nodeId);
  if (!node) throw new NotFound(`Node '${nodeId}' in pipeline '${pipelineId}'`);
  if (node.kind !== 'score') throw new Invalid(`Node '${nodeId}' is a ${node.kind}, not a score node`, 'not_a_score_node');
  const { challenger, challengerOutput: _field, ...params } = node.params as { challenger?: unknown; challengerOutput?: string };
  if (!challenger) throw new Invalid(`Node '${nodeId}' has no challenger to promote`, 'no_challenger');
  let edges = document.edges.filter((e) => !(e.from === nodeId && e.fromPort === 'shadow'));
  let cut = document.edges.filter((e) => e.from === nodeId && e.fromPort === 'shadow').map((e) => e.to);
  const removed = new Set<string>();
  while (cut.length) {
    const orphans = [...new Set(cut)].filter((id) => !removed.has(id) && !edges.some((e) => e.to === id));
    orphans.forEach((id) => removed.add(id));
    cut = edges.filter((e) => orphans.includes(e.from)).map((e) => e.to);
    edges = edges.filter((e) => !orphans.includes(e.from));
  }
  const nodes = document.nodes.filter((n) => !removed.has(n.id)).map((n) => (n.id === nodeId ? { ...node, params: { ...params, model: challenger } } : n));
  return { ...document, nodes, edges };
}

/** Champion/challenger: POST …/nodes/:nodeId/promote (docs/models.md#champion-and-challenger). */
export function modelRoutes(store: PipelineStore, jobs: JobManager): Router {
  const r = Router();

  // A new revision with the challenger as the model; a running deployment redeploys from a
  // savepoint, so every node's state (windows, pending labels) carries over.
  r.post('/pipelines/:id/nodes/:nodeId/promote', async (req, res) => {
    const p = store.require(req.params.id);
    const document = requireDocument(promoteChallenger(p.document, p.id, req.params.nodeId), jobs.dataDir);
    const updated = await jobs.replace(p.id, document, p.revision);
    const redeploy = jobs.state(p.id) === 'running' ? await jobs.deploy(updated) : null;
    res.set('ETag', `"${updated.revision}"`).json({
      pipeline: { ...summary(updated, jobs.state(p.id)), document: updated.document },
      redeployed: redeploy !== null,
      ...(redeploy && { plan: redeploy.plan }),
    });
  });

  return r;
}
