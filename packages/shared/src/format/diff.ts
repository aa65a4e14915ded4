import type { PipelineDocument, PipelineEdge, PipelineNode } from './document.js';

/** What changed between two versions of a pipeline, node by node and edge by edge. */
export interface DocumentDiff {
  nameChanged: boolean;
  settingsChanged: string[];
  nodes: { added: string[]; removed: string[]; changed: { id: string; fields: string[] }[]; moved: string[] };
  edges: { added: PipelineEdge[]; removed: PipelineEdge[] };
}

const edgeId = (e: PipelineEdge) => `${e.from}:${e.fromPort ?? 'out'}->${e.to}:${e.toPort ?? 'in'}`;
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** The fields of a node that differ (`params.where`, `kind`, `name`); its position is reported apart. */
function nodeFields(a: PipelineNode, b: PipelineNode): string[] {
  const fields: string[] = [];
  if (a.kind !== b.kind) fields.push('kind');
  if ((a.name ?? '') !== (b.name ?? '')) fields.push('name');
  const keys = new Set([...Object.keys(a.params ?? {}), ...Object.keys(b.params ?? {})]);
  for (const k of [...keys].sort()) if (!same(a.params?.[k], b.params?.[k])) fields.push(`params.${k}`);
  return fields;
}

export function diffDocuments(before: PipelineDocument, after: PipelineDocument): DocumentDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const changed: { id: string; fields: string[] }[] = [];
  const moved: string[] = [];
  for (const n of after.nodes) {
    const o = old.get(n.id);
    if (!o) continue;
    const fields = nodeFields(o, n);
    if (fields.length) changed.push({ id: n.id, fields });
    if ((o.ui?.x ?? 0) !== (n.ui?.x ?? 0) || (o.ui?.y ?? 0) !== (n.ui?.y ?? 0)) moved.push(n.id);
  }
  const oldEdges = new Set(before.edges.map(edgeId));
  const newEdges = new Set(after.edges.map(edgeId));
  const settingsKeys = new Set([...Object.keys(before.settings ?? {}), ...Object.keys(after.settings ?? {})]);
  return {
    nameChanged: before.name !== after.name,
    settingsChanged: [...settingsKeys].sort().filter((k) => !same((before.settings as Record<string, unknown>)[k], (after.settings as Record<string, unknown>)[k])),
    nodes: {
      added: after.nodes.filter((n) => !old.has(n.id)).map((n) => n.id),
      removed: before.nodes.filter((n) => !now.has(n.id)).map((n) => n.id),
      changed,
      moved,
    },
    edges: { added: after.edges.filter((e) => !oldEdges.has(edgeId(e))), removed: before.edges.filter((e) => !newEdges.has(edgeId(e))) },
  };
}

const list = (ids: string[], max = 3) => ids.slice(0, max).join(', ') + (ids.length > max ? ` +${ids.length - max}` : '');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line for a history list: "added window, filter; changed agg (params.groupBy); 2 edges added". */
export function summarizeDiff(d: DocumentDiff): string {
  const parts: string[] = [];
  if (d.nodes.added.length) parts.push(`added ${list(d.nodes.added)}`);
  if (d.nodes.removed.length) parts.push(`removed ${list(d.nodes.removed)}`);
  if (d.nodes.changed.length) {
    parts.push(`changed ${d.nodes.changed.slice(0, 3).map((c) => `${c.id} (${c.fields.join(', ')})`).join(', ')}${d.nodes.changed.length > 3 ? ` +${d.nodes.changed.length - 3}` : ''}`);
  }
  if (d.edges.added.length) parts.push(`${plural(d.edges.added.length, 'edge')} added`);
  if (d.edges.removed.length) parts.push(`${plural(d.edges.removed.length, 'edge')} removed`);
  if (d.settingsChanged.length) parts.push(`settings ${d.settingsChanged.join(', ')}`);
  if (d.nameChanged) parts.push('renamed');
  if (d.nodes.moved.length) parts.push(`moved ${plural(d.nodes.moved.length, 'node')}`);
  return parts.length ? parts.join('; ') : 'no changes';
}

/** True when the two versions would run the same (positions and the name aside). */
export const sameBehaviour = (d: DocumentDiff): boolean =>
  !d.nodes.added.length && !d.nodes.removed.length && !d.nodes.changed.length && !d.edges.added.length && !d.edges.removed.length && !d.settingsChanged.length;

/**
 * JSON with a stable layout so git diffs stay small: the document's fields in their schema
 * order (format, name, description, settings, nodes, edges; id, kind, name, params, ui on a
 * node), every other object's keys sorted, two-space indent.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(ordered(value, 'root'), null, 2);
}

const ORDER: Record<string, string[]> = {
  root: ['format', 'name', 'description', 'settings', 'nodes', 'edges', 'tests'],
  node: ['id', 'kind', 'name', 'label', 'params', 'ui'],
  edge: ['from', 'fromPort', 'to', 'toPort'],
  ui: ['x', 'y'],
};

function ordered(value: unknown, at: string): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v, at === 'nodes' ? 'node' : at === 'edges' ? 'edge' : 'any'));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const first = ORDER[at] ?? [];
  const keys = [...first.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !first.includes(k)).sort()];
  const childContext = (k: string) => (at === 'root' && (k === 'nodes' || k === 'edges') ? k : at === 'node' && k === 'ui' ? 'ui' : 'any');
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, ordered(obj[k], childContext(k))]));
}
