import { create } from 'zustand';
import {
  PIPELINE_FORMAT, settingsSchema, validatePipeline, type CatalogEntry, type CatalogResponse, type NodeSchemas, type PipelineDocument,
  type PipelineEdge, type PipelineNode, type ValidationIssue,
} from '@eddy/shared';

/** The document slice, its undo/redo history, the selection, and the validation of the document. */
export interface EditorState {
  catalog: CatalogResponse | null;
  kinds: Record<string, CatalogEntry>;
  pipelineId: string | null;
  revision: number | null;
  /** Counts documents loaded (open, import, template): the canvas fits its view to each. */
  loads: number;
  doc: PipelineDocument;
  dirty: boolean;
  past: PipelineDocument[];
  future: PipelineDocument[];
  selection: string[];
  issues: ValidationIssue[];
  schemas: NodeSchemas;
  setCatalog(c: CatalogResponse): void;
  load(doc: PipelineDocument, pipelineId: string | null, revision: number | null): void;
  markSaved(pipelineId: string, revision: number): void;
  /**
   * Applies a change as one undoable step. Changes with the same `coalesce` key in quick
   * succession (typing in one field) merge into one step.
   */
  change(mutate: (doc: PipelineDocument) => PipelineDocument, coalesce?: string): void;
  /** Applies a change without a history step (dragging); `checkpoint` starts the step. */
  changeQuietly(mutate: (doc: PipelineDocument) => PipelineDocument): void;
  checkpoint(): void;
  undo(): void;
  redo(): void;
  select(ids: string[]): void;
}

export const emptyDocument = (): PipelineDocument => ({
  format: PIPELINE_FORMAT,
  name: 'Untitled pipeline',
  settings: settingsSchema.parse({}),
  nodes: [],
  edges: [],
});

const HISTORY = 100;
const COALESCE_MS = 1500;
let lastChange: { key: string | undefined; at: number } = { key: undefined, at: 0 };

function validated(doc: PipelineDocument) {
  const r = validatePipeline(doc);
  return { issues: r.errors, schemas: r.schemas ?? {} };
}

export const useEditor = create<EditorState>((set, get) => ({
  catalog: null,
  kinds: {},
  pipelineId: null,
  revision: null,
  loads: 0,
  doc: emptyDocument(),
  dirty: false,
  past: [],
  future: [],
  selection: [],
  issues: [],
  schemas: {},
  setCatalog: (catalog) => set({ catalog, kinds: Object.fromEntries(catalog.kinds.map((k) => [k.kind, k])) }),
  load: (doc, pipelineId, revision) =>
    set((s) => ({ doc, pipelineId, revision, loads: s.loads + 1, dirty: false, past: [], future: [], selection: [], ...validated(doc) })),
  markSaved: (pipelineId, revision) => set({ pipelineId, revision, dirty: false }),
  change: (mutate, coalesce) => {
    const before = get().doc;
    const doc = mutate(before);
    if (doc === before) return;
    const now = Date.now();
    const merge = coalesce !== undefined && coalesce === lastChange.key && now - lastChange.at < COALESCE_MS && get().past.length > 0;
    lastChange = { key: coalesce, at: now };
    const past = merge ? get().past : [...get().past.slice(-HISTORY + 1), before];
    set({ doc, dirty: true, past, future: [], ...validated(doc) });
  },
  changeQuietly: (mutate) => {
    const doc = mutate(get().doc);
    set({ doc, dirty: true });
  },
  checkpoint: () => {
    lastChange = { key: undefined, at: 0 };
    set({ past: [...get().past.slice(-HISTORY + 1), get().doc], future: [] });
  },
  undo: () => {
    lastChange = { key: undefined, at: 0 };
    const { past, doc, future } = get();
    if (!past.length) return;
    const previous = past[past.length - 1];
    set({ doc: previous, past: past.slice(0, -1), future: [doc, ...future], dirty: true, ...validated(previous) });
  },
  redo: () => {
    const { past, doc, future } = get();
    if (!future.length) return;
    const next = future[0];
    set({ doc: next, past: [...past, doc], future: future.slice(1), dirty: true, ...validated(next) });
  },
  select: (selection) => set({ selection }),
}));

// --- document edits (pure functions over the document) -----------------------------------

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
