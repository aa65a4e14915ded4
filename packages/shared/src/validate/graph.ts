import { edgeFromPort, edgeToPort, type PipelineDocument, type PipelineEdge } from '../format/document.js';
import { getKind, outputPorts } from '../catalog/index.js';
import { formatPath, type ValidationIssue } from './issues.js';

export interface GraphInfo {
  /** Node ids in topological order (sources first). */
  order: string[];
  incoming: Map<string, PipelineEdge[]>;
  outgoing: Map<string, PipelineEdge[]>;
  indexOf: Map<string, number>;
}

/** Checks edges (dangling, ports, duplicates, fan-in) and cycles; orders the nodes. */
export function checkGraph(doc: PipelineDocument): { errors: ValidationIssue[]; info: GraphInfo } {
  const errors: ValidationIssue[] = [];
  const indexOf = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const incoming = new Map<string, PipelineEdge[]>(doc.nodes.map((n) => [n.id, []]));
  const outgoing = new Map<string, PipelineEdge[]>(doc.nodes.map((n) => [n.id, []]));
  const seenEdges = new Set<string>();

  doc.edges.forEach((edge, i) => {
    const path = (field?: string) => formatPath(field ? ['edges', i, field] : ['edges', i]);
    const from = doc.nodes[indexOf.get(edge.from) ?? -1];
    const to = doc.nodes[indexOf.get(edge.to) ?? -1];
    if (!from) errors.push({ code: 'dangling_edge', path: path('from'), message: `Edge ${i} comes from unknown node '${edge.from}'` });
    if (!to) errors.push({ code: 'dangling_edge', path: path('to'), message: `Edge ${i} goes to unknown node '${edge.to}'` });
    if (!from || !to) return;
    const fromDef = getKind(from.kind)!;
    const toDef = getKind(to.kind)!;
    const outs = outputPorts(fromDef, from.params).map((p) => p.name);
    if (!outs.includes(edgeFromPort(edge))) {
      errors.push({ code: 'unknown_port', nodeId: from.id, path: path('fromPort'),
        message: outs.length
          ? `Node '${from.id}' (${from.kind}) has no output port '${edgeFromPort(edge)}'; it has ${outs.join(', ')}`
          : `Node '${from.id}' (${from.kind}) has no outputs` });
      return;
    }
    const ins = toDef.inputs.map((p) => p.name);
    if (!ins.includes(edgeToPort(edge))) {
      errors.push({ code: 'unknown_port', nodeId: to.id, path: path('toPort'),
        message: ins.length
          ? `Node '${to.id}' (${to.kind}) has no input port '${edgeToPort(edge)}'; it has ${ins.join(', ')}`
          : `Node '${to.id}' (${to.kind}) is a source and takes no input` });
      return;
    }
    const key = `${edge.from}:${edgeFromPort(edge)}->${edge.to}:${edgeToPort(edge)}`;
    if (seenEdges.has(key)) {
      errors.push({ code: 'duplicate_edge', path: path(), message: `Edge ${key} is listed twice` });
      return;
    }
    seenEdges.add(key);
    outgoing.get(edge.from)!.push(edge);
    incoming.get(edge.to)!.push(edge);
  });

  doc.nodes.forEach((node, i) => {
    const def = getKind(node.kind)!;
    for (const port of def.inputs) {
      const count = incoming.get(node.id)!.filter((e) => edgeToPort(e) === port.name).length;
      if (count === 0 && !port.optional) {
        errors.push({ code: 'unconnected_input', nodeId: node.id, path: formatPath(['nodes', i]),
          message: `Input '${port.name}' of '${node.id}' is not connected` });
      } else if (count > 1 && !port.multiple) {
        errors.push({ code: 'too_many_inputs', nodeId: node.id, path: formatPath(['nodes', i]),
          message: `Input '${port.name}' of '${node.id}' takes one edge but has ${count}; put a union before it` });
      }
    }
  });

  // Kahn's algorithm; whatever remains sits on a cycle.
  const indegree = new Map(doc.nodes.map((n) => [n.id, incoming.get(n.id)!.length]));
  const queue = doc.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const e of outgoing.get(id)!) {
      const d = indegree.get(e.to)! - 1;
      indegree.set(e.to, d);
      if (d === 0) queue.push(e.to);
    }
  }
  if (order.length < doc.nodes.length) {
    // Left over: nodes on a cycle and nodes downstream of one. Peel off the latter (nodes
    // with no edge back into the rest) so that only the cycle itself is reported.
    const rest = new Set(doc.nodes.filter((n) => !order.includes(n.id)).map((n) => n.id));
    for (let changed = true; changed;) {
      changed = false;
      for (const id of rest) {
        if (!outgoing.get(id)!.some((e) => rest.has(e.to))) {
          rest.delete(id);
          changed = true;
        }
      }
    }
    const inCycle = doc.nodes.filter((n) => rest.has(n.id));
    const names = inCycle.map((n) => n.id).join(', ');
    for (const n of inCycle) {
      errors.push({ code: 'cycle', nodeId: n.id, path: formatPath(['nodes', indexOf.get(n.id)!]),
        message: `Node '${n.id}' is part of a cycle (${names}); pipelines are acyclic` });
    }
  }
  return { errors, info: { order, incoming, outgoing, indexOf } };
}
