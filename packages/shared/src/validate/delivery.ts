import type { PipelineDocument } from '../format/document.js';
import { deliveryOf, getKind } from '../catalog/index.js';
import { formatPath, type ValidationIssue } from './issues.js';

/**
 * Exactly-once needs every source to replay from a checkpointed offset and every sink to
 * commit with checkpoints or write idempotently (a live table is a view and is exempt).
 * Names each source or sink that cannot, and why.
 */
export function checkDelivery(doc: PipelineDocument): ValidationIssue[] {
  if (doc.settings.guarantee !== 'exactly-once') return [];
  const errors: ValidationIssue[] = [];
  doc.nodes.forEach((node, i) => {
    const def = getKind(node.kind);
    const d = deliveryOf(def, node.params);
    if (!def || !d) return;
    const weakSource = def.category === 'source' && d.source !== 'replayable';
    const weakSink = def.category === 'sink' && d.sink !== 'transactional' && d.sink !== 'idempotent' && d.sink !== 'view';
    if (weakSource || weakSink) {
      errors.push({
        code: 'guarantee_unsupported', nodeId: node.id, path: formatPath(['nodes', i, 'kind']),
        message: `settings.guarantee is exactly-once, but ${node.kind} '${node.id}' cannot give it: ${d.why ?? 'it has no commit protocol'}. ` +
          'Use at-least-once, or replace this node.',
      });
    }
  });
  return errors;
}

export type Guarantee = PipelineDocument['settings']['guarantee'];
const STRENGTH: Record<Guarantee, number> = { 'at-most-once': 0, 'at-least-once': 1, 'exactly-once': 2 };

export interface EdgeGuarantee {
  guarantee: Guarantee;
  /** Why it is weaker than the pipeline's setting (null when it is as strong). */
  reason: string | null;
}

/**
 * The delivery guarantee that actually holds on each edge (by index in `doc.edges`), from the
 * sources to that point and into a sink: the pipeline's setting, weakened by a source that
 * cannot replay or a sink that cannot commit — with the reason.
 */
export function edgeGuarantees(doc: PipelineDocument): EdgeGuarantee[] {
  const setting = doc.settings.guarantee;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const memo = new Map<string, EdgeGuarantee>();
  const weaker = (a: EdgeGuarantee, b: EdgeGuarantee) => (STRENGTH[b.guarantee] < STRENGTH[a.guarantee] ? b : a);
  const atNode = (id: string, seen: Set<string>): EdgeGuarantee => {
    const cached = memo.get(id);
    if (cached) return cached;
    const node = byId.get(id);
    const def = node && getKind(node.kind);
    let g: EdgeGuarantee = { guarantee: setting, reason: null };
    if (def?.category === 'source' && setting !== 'at-most-once' && deliveryOf(def, node!.params)?.source !== 'replayable') {
      g = { guarantee: 'at-most-once', reason: `${node!.kind} '${id}' cannot replay: records not yet checkpointed are lost in a crash` };
    }
    if (!seen.has(id)) {
      seen.add(id);
      for (const e of doc.edges) if (e.to === id) g = weaker(g, atNode(e.from, seen));
    }
    memo.set(id, g);
    return g;
  };
  return doc.edges.map((e) => {
    let g = atNode(e.from, new Set());
    const target = byId.get(e.to);
    const d = target && deliveryOf(getKind(target.kind), target.params);
    if (d?.sink && (d.sink === 'at-least-once' || d.sink === 'view') && STRENGTH[g.guarantee] > STRENGTH['at-least-once']) {
      g = { guarantee: 'at-least-once', reason: `${target!.kind} '${target!.id}': ${d.why ?? 'no commit protocol'}` };
    }
    return g;
  });
}
