import type { PipelineDocument } from '../format/document.js';
import { getKind, hasEventTime } from '../catalog/index.js';

/**
 * Notes for edges into time-based operators (by edge index; null = nothing to say): an input
 * whose source declares no event time gets ingestion time, which is rarely what a window
 * over recorded data means.
 */
export function edgeTimeNotes(doc: PipelineDocument): (string | null)[] {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const untimedSources = (id: string, seen = new Set<string>()): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    const node = byId.get(id);
    if (!node) return [];
    // A source has event time when it stamps it from the data (a generator always does, others when they declare it).
    const def = getKind(node.kind);
    if (def?.eventTime === 'assigns' && !hasEventTime(def, node.params)) return [id];
    return doc.edges.filter((e) => e.to === id).flatMap((e) => untimedSources(e.from, seen));
  };
  return doc.edges.map((e) => {
    const target = byId.get(e.to);
    if (!target || getKind(target.kind)?.eventTime !== 'uses') return null;
    const untimed = untimedSources(e.from);
    return untimed.length
      ? `No event time on this input: source '${untimed.join("', '")}' declares no eventTime, so ${target.kind} '${target.id}' uses ingestion time`
      : null;
  });
}
