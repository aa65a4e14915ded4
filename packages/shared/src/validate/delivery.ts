import type { PipelineDocument } from '../format/document.js';
import { getKind } from '../catalog/index.js';
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
    const d = def?.delivery;
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
