import type { CatalogEntry, PipelineDocument, PipelineEdge, PipelineNode } from '@eddy/shared';

/* Document edits: pure functions from a document to the next (the same object when nothing changes). */

export function uniqueId(doc: PipelineDocument, kind: string): string {
  const base = kind.replace(/^(source|sink)\./, '$1_').replace(/[^A-Za-z0-9_]/g, '_');
  const taken = new Set(doc.nodes.map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

export function addNode(doc: PipelineDocument, entry: CatalogEntry, at: { x: number; y: number }): [PipelineDocument, string] {
  const id = uniqueId(doc, entry.kind);
  const node: PipelineNode = { id, kind: entry.kind, params: structuredClone(entry.defaults), ui: { x: Math.round(at.x), y: Math.round(at.y) } };
  return [{ ...doc, nodes: [...doc.nodes, node] }, id];
}

export const edgeKey = (e: PipelineEdge) => `${e.from}:${e.fromPort ?? 'out'}->${e.to}:${e.toPort ?? 'in'}`;

export function connect(doc: PipelineDocument, edge: PipelineEdge): PipelineDocument {
  const clean: PipelineEdge = { from: edge.from, to: edge.to };
  if (edge.fromPort && edge.fromPort !== 'out') clean.fromPort = edge.fromPort;
  if (edge.toPort && edge.toPort !== 'in') clean.toPort = edge.toPort;
  if (doc.edges.some((e) => edgeKey(e) === edgeKey(clean))) return doc;
  return { ...doc, edges: [...doc.edges, clean] };
}

export function removeNodes(doc: PipelineDocument, ids: string[]): PipelineDocument {
  const gone = new Set(ids);
  return { ...doc, nodes: doc.nodes.filter((n) => !gone.has(n.id)), edges: doc.edges.filter((e) => !gone.has(e.from) && !gone.has(e.to)) };
}

export function removeEdges(doc: PipelineDocument, keys: string[]): PipelineDocument {
  const gone = new Set(keys);
  return { ...doc, edges: doc.edges.filter((e) => !gone.has(edgeKey(e))) };
}

export function setParams(doc: PipelineDocument, id: string, params: Record<string, unknown>): PipelineDocument {
  const node = doc.nodes.find((n) => n.id === id);
  if (node && JSON.stringify(node.params) === JSON.stringify(params)) return doc;
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, params } : n)) };
}

export function renameNode(doc: PipelineDocument, from: string, to: string): PipelineDocument {
  if (from === to || doc.nodes.some((n) => n.id === to)) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => (n.id === from ? { ...n, id: to } : n)),
    edges: doc.edges.map((e) => ({ ...e, from: e.from === from ? to : e.from, to: e.to === from ? to : e.to })),
  };
}

export function moveNode(doc: PipelineDocument, id: string, x: number, y: number): PipelineDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, ui: { x: Math.round(x), y: Math.round(y) } } : n)) };
}
