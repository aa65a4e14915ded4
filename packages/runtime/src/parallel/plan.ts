import { edgeFromPort, edgeToPort, getKind, outputPorts, type PartitionKey, type PipelineDocument, type PipelineEdge } from '@eddy/shared';
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
  /**
   * hash / single into a `preAggregatable` node: the sending side combines each batch's records
   * per key (and window) first, so partials cross instead of records (the target's kind and params).
   * `holds`: the sender learns every watermark of its records' source order (it is on the job's
   * thread, or fed only by sources read in pieces through chained nodes), so a window's partial may
   * stay across batches until the window fires (operators/window/pre-aggregate.ts).
   */
  preAggregate?: { kind: string; params: unknown; holds: boolean };
  /**
   * hash / single into a `projectable` node: the top-level fields that cross, the rest of each
   * record left behind. Pre-aggregated too: the records the sender does not combine (q5's many
   * auctions, whose batches do not shrink) cross as those fields; partials cross as they are.
   */
  project?: string[];
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
  /**
   * Sources read in pieces: their reader runs on the host (in hostNodes: offsets, barriers),
   * every subtask parses pieces and emits their records (edges from them start at 'task').
   */
  splitSources: string[];
  edges: PlannedEdge[];
  /**
   * Keyed nodes with several inputs fed by a source read in pieces: all their edges go through
   * one merge by source position in each subtask (channel-merge.ts), so the node meets both
   * sides' records in the reader's order.
   */
  mergedInputs: string[];
  /** Said plainly to the user (eddy run, the deploy log). */
  notes: string[];
}

/**
 * Whether a job's tap sees a node's port: every port of every node, or those `tapNodes` names
 * (`node`: all its ports; `node.port`: that one — node ids hold no dots); none without a tap.
 */
export function tappedBy(o: { tap?: unknown; tapNodes?: readonly string[] }): (nodeId: string, port: string) => boolean {
  if (!o.tap) return () => false;
  if (!o.tapNodes) return () => true;
  const named = new Set(o.tapNodes);
  return (nodeId, port) => named.has(nodeId) || named.has(`${nodeId}.${port}`);
}

/**
 * Places a document's nodes and routes its edges for `parallelism` subtasks. `tapped`: the ports
 * a tap sees (edge samples, the test harness) — they count as connected, so what a tap gets is
 * what parallelism 1 gives it.
 */
export function planParallel(doc: PipelineDocument, order: string[], parallelism: number, tapped: (nodeId: string, port: string) => boolean = () => false): ParallelPlan {
  // Sources and sinks run once, on the host. Cheap stateless transforms fed only by the host
  // run there too, chained to their source as Flink chains operators of one parallelism: a
  // record then crosses threads once (a filter's dropped records never), and crossing costs
  // about what parsing it did (docs/parallelism.md). Keyed, scoring and lookup nodes go parallel.
  const host = new Set<string>();
  const nodeOf = new Map(doc.nodes.map((n) => [n.id, n]));
  // When every source can be read in pieces, the subtasks parse (parsing is most of the work) and
  // the transforms after the sources run with them; the record order stays the reader's.
  // Mixed with a source read whole, the pieces' order against its batches could not be kept.
  // A node with several inputs judges its inputs' records against each other in the reader's
  // order. A keyed one (a join) gets all its edges through one merge by source position
  // (`mergedInputs`), which gives that order when one source numbers every record. A forward
  // one (a union, a sink) would meet its inputs in a subtask's own order, and two sources' pieces
  // have no order between them: read whole then.
  const sources = doc.nodes.filter((n) => getKind(n.kind)?.category === 'source');
  const multiInput = doc.nodes.filter((n) => doc.edges.filter((e) => e.to === n.id).length > 1);
  const splittable = sources.length > 0 && sources.every((n) => getKind(n.kind)?.splittable?.(n.params as never));
  // Records whose source positions reach the node (a chain of stateless nodes from the source): a
  // stateful node's output has none, and the merge would then order both sides by watermark alone.
  const positioned = (id: string): boolean => {
    const node = nodeOf.get(id)!;
    const def = getKind(node.kind);
    if (def?.category === 'source') return true;
    const inputs = doc.edges.filter((e) => e.to === id);
    return !def?.stateful && partitioningOf(node) === 'forward' && inputs.length > 0 && inputs.every((e) => positioned(e.from));
  };
  const mergeable = multiInput.length === 0 || (sources.length === 1
    && multiInput.every((n) => partitioningOf(n) !== 'forward' && doc.edges.every((e) => e.to !== n.id || positioned(e.from))));
  const split = new Set(parallelism > 1 && splittable && mergeable ? sources.map((n) => n.id) : []);
  for (const id of order) {
    const node = nodeOf.get(id)!;
    const def = getKind(node.kind);
    const inputs = doc.edges.filter((e) => e.to === id).map((e) => e.from);
    const chained = def?.category === 'transform' && !def.stateful && partitioningOf(node) === 'forward' && inputs.every((f) => host.has(f) && !split.has(f));
    if (def?.category === 'source' || def?.category === 'sink' || chained) host.add(id);
  }
  const onHost = (id: string) => host.has(id) && !split.has(id);
  const hostNodes = order.filter((id) => host.has(id));
  const taskNodes = order.filter((id) => !host.has(id));
  const splitSources = order.filter((id) => split.has(id));
  // Whether a node's output follows its sources' order with every watermark on its thread (see `holds`).
  const inSourceOrder = (id: string): boolean => {
    if (onHost(id) || split.has(id)) return true;
    const node = nodeOf.get(id)!;
    const inputs = doc.edges.filter((e) => e.to === id);
    return partitioningOf(node) === 'forward' && !getKind(node.kind)?.stateful && inputs.length > 0
      && inputs.every((e) => !onHost(e.from) && inSourceOrder(e.from));
  };
  const edges: PlannedEdge[] = doc.edges.map((edge, index) => {
    const from = onHost(edge.from) ? 'host' : 'task';
    const to = onHost(edge.to) ? 'host' : 'task';
    if (to === 'host') return { index, edge, from, to, route: from === 'host' ? 'local' : 'gather' };
    const target = nodeOf.get(edge.to)!;
    const partitioning = partitioningOf(target);
    const preAggregate = getKind(target.kind)?.preAggregatable?.(target.params as never) ? { preAggregate: { kind: target.kind, params: target.params, holds: inSourceOrder(edge.from) } } : {};
    const cut = projection(doc, target, tapped);
    if (partitioning === 'single') return { index, edge, from, to, route: 'single', ...preAggregate, ...cut };
    if (partitioning === 'forward') return { index, edge, from, to, route: from === 'host' ? 'rebalance' : 'local' };
    const key = partitioning[edgeToPort(edge)];
    if (!key) return { index, edge, from, to, route: 'single', ...preAggregate, ...cut };
    return { index, edge, from, to, route: 'hash', key, ...preAggregate, ...cut };
  });
  const notes = [
    ...(parallelism > 1 && splittable && !mergeable ? [`sources are read whole, on the job's thread: ${sources.length > 1 ? 'two sources\' pieces have no order between them for a node with several inputs' : 'a node with several inputs needs one reader\'s order unless it is keyed (a join) and fed through stateless nodes'}`] : []),
    ...splitSources.map((id) => (nodeOf.get(id)!.kind === 'source.kafka'
      ? `${id} is read in pieces: one reader cuts each partition's messages in order, ${parallelism} subtasks parse them (offsets and watermarks per partition, as one reader's)`
      : `${id} is read in pieces: one reader cuts the input, ${parallelism} subtasks parse it (offsets and watermarks as one reader's)`)),
    taskNodes.length ? `${parallelism} subtasks run ${taskNodes.join(', ')}` : 'every node is chained to its source: no subtask is started (parallelism has no effect here)',
    ...hostNodes.filter((id) => !split.has(id)).map((id) => {
      const category = getKind(nodeOf.get(id)!.kind)?.category;
      return `${id} runs once, on the job's thread (${category === 'source' ? 'one reader' : category === 'sink' ? 'one writer' : 'chained to its source'})`;
    }),
    ...edges.filter((e) => e.route === 'hash' || e.route === 'single')
      .map((e) => `${e.edge.from}.${edgeFromPort(e.edge)} → ${e.edge.to}.${edgeToPort(e.edge)}: ${e.route === 'hash' ? 'by key' : 'all to subtask 0 (no key)'}` +
        (e.preAggregate ? `, pre-aggregated ${e.preAggregate.holds ? 'until each window fires' : 'per batch'} before the exchange` : '') +
        (e.project ? `, only ${e.project.length ? e.project.join(', ') : 'event times'} crossing` : '')),
  ];
  const mergedInputs = split.size ? multiInput.map((n) => n.id).filter((id) => !host.has(id)
    && edges.every((e) => e.edge.to !== id || (e.from === 'task' && (e.route === 'hash' || e.route === 'single')))) : [];
  return { parallelism, hostNodes, taskNodes, splitSources, edges, mergedInputs, notes };
}

/**
 * The top-level fields a `projectable` target reads (a path's first step), or nothing when whole
 * records must cross. A tapped port counts as connected: a window's late records reach a tap
 * (the designer's samples, the harness) whether or not an edge leaves its late port.
 */
function projection(doc: PipelineDocument, target: PipelineDocument['nodes'][number], tapped: (nodeId: string, port: string) => boolean): { project?: string[] } {
  const def = getKind(target.kind);
  const ports = new Set(doc.edges.filter((e) => e.from === target.id).map(edgeFromPort));
  if (def) for (const p of outputPorts(def, target.params as never)) if (tapped(target.id, p.name)) ports.add(p.name);
  if (!def?.projectable?.(target.params as never, ports)) return {};
  const fields = [...new Set((def.fields?.(target.params as never) ?? []).map((f) => f.field.split('.')[0]))];
  // Setting `__proto__` on a fresh object would set its prototype: such records cross whole.
  return fields.includes('__proto__') ? {} : { project: fields };
}
