import { edgeFromPort, edgeToPort, getKind, type PartitionKey, type PipelineDocument, type PipelineEdge } from '@eddy/shared';
import { partitioningOf } from './partitioner.js';

/**
 * How an edge crosses threads in a parallel job:
 * - `local`: both ends on the same thread (the host's source → sink, or a subtask's stateless chain: Flink's chaining);
 * - `hash`: into a keyed input, each record to the subtask owning its key's group;
 * - `single`: everything to subtask 0 (state without a key);
 * - `rebalance`: from the host's source to the subtasks, batch by batch in turn;
 * - `gather`: from every subtask into the host's sink.
 * Watermarks, idleness and barriers go to every instance of the edge's target.
 */
export type EdgeRoute = 'local' | 'hash' | 'single' | 'rebalance' | 'gather';

export interface PlannedEdge {
  index: number;
  edge: PipelineEdge;
  route: EdgeRoute;
  /** hash: what makes the key on the target's port. */
  key?: PartitionKey;
  /** Where the edge starts and ends. */
  from: 'host' | 'task';
  to: 'host' | 'task';
}

export interface ParallelPlan {
  parallelism: number;
  /** Sources and sinks: one instance each, on the job's own thread (one reader per source; one committing writer per sink). */
  hostNodes: string[];
  /** Everything between: one instance per subtask. */
  taskNodes: string[];
  edges: PlannedEdge[];
  /** Said plainly to the user (eddy run, the deploy log). */
  notes: string[];
}

/** Places a document's nodes and routes its edges for `parallelism` subtasks. */
export function planParallel(doc: PipelineDocument, order: string[], parallelism: number): ParallelPlan {
  const onHost = (id: string) => {
    const category = getKind(doc.nodes.find((n) => n.id === id)!.kind)?.category;
    return category === 'source' || category === 'sink';
  };
  const hostNodes = order.filter(onHost);
  const taskNodes = order.filter((id) => !onHost(id));
  const edges: PlannedEdge[] = doc.edges.map((edge, index) => {
    const from = onHost(edge.from) ? 'host' : 'task';
    const to = onHost(edge.to) ? 'host' : 'task';
    if (to === 'host') return { index, edge, from, to, route: from === 'host' ? 'local' : 'gather' };
    const target = doc.nodes.find((n) => n.id === edge.to)!;
    const partitioning = partitioningOf(target);
    if (partitioning === 'single') return { index, edge, from, to, route: 'single' };
    if (partitioning === 'forward') return { index, edge, from, to, route: from === 'host' ? 'rebalance' : 'local' };
    const key = partitioning[edgeToPort(edge)];
    if (!key) return { index, edge, from, to, route: 'single' };
    return { index, edge, from, to, route: 'hash', key };
  });
  const notes = [
    `${parallelism} subtasks run ${taskNodes.length ? taskNodes.join(', ') : 'no operator'}`,
    ...hostNodes.map((id) => `${id} runs once, on the job's thread (${getKind(doc.nodes.find((n) => n.id === id)!.kind)?.category === 'source' ? 'one reader' : 'one writer'})`),
    ...edges.filter((e) => e.route === 'hash' || e.route === 'single')
      .map((e) => `${e.edge.from}.${edgeFromPort(e.edge)} → ${e.edge.to}.${edgeToPort(e.edge)}: ${e.route === 'hash' ? 'by key' : 'all to subtask 0 (no key)'}`),
  ];
  return { parallelism, hostNodes, taskNodes, edges, notes };
}
