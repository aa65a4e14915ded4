import { create } from 'zustand';
import {
  PIPELINE_FORMAT, settingsSchema, validatePipeline, type CatalogEntry, type CatalogResponse, type NodeSchemas, type PipelineDocument,
  type PipelineNode, type ValidationIssue,
} from '@eddy/shared';

export * from './doc-edits';

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
  /** The document's nodes by id, and each node's issue messages (one per line): built once per change, read per node. */
  nodeIndex: Record<string, PipelineNode>;
  issuesByNode: Record<string, string>;
  setCatalog(c: CatalogResponse): void;
  load(doc: PipelineDocument, pipelineId: string | null, revision: number | null): void;
  markSaved(pipelineId: string, revision: number): void;
  /**
   * Applies a change as one undoable step. Changes with the same `coalesce` key in quick
   * succession (typing in one field) merge into one step.
   */
  change(mutate: (doc: PipelineDocument) => PipelineDocument, coalesce?: string): void;
  /** Applies a change without a history step of its own (dragging); after `checkpoint`, the first one takes the step. */
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
/** A quiet change (a drag) started: its first change takes the undo step. */
let stepOpen = false;

export function indexNodes(doc: PipelineDocument): Record<string, PipelineNode> {
  const index: Record<string, PipelineNode> = {};
  for (const n of doc.nodes) index[n.id] ??= n;
  return index;
}

export function issuesByNode(issues: ValidationIssue[]): Record<string, string> {
  const byNode: Record<string, string> = {};
  for (const i of issues) if (i.nodeId) byNode[i.nodeId] = byNode[i.nodeId] ? `${byNode[i.nodeId]}\n${i.message}` : i.message;
  return byNode;
}

/** A document with what is derived from it: validation, the node index, issues per node. */
function withDoc(doc: PipelineDocument) {
  const r = validatePipeline(doc);
  return { doc, issues: r.errors, schemas: r.schemas ?? {}, nodeIndex: indexNodes(doc), issuesByNode: issuesByNode(r.errors) };
}

export const useEditor = create<EditorState>((set, get) => ({
  catalog: null,
  kinds: {},
  pipelineId: null,
  revision: null,
  loads: 0,
  ...withDoc(emptyDocument()),
  dirty: false,
  past: [],
  future: [],
  selection: [],
  setCatalog: (catalog) => set({ catalog, kinds: Object.fromEntries(catalog.kinds.map((k) => [k.kind, k])) }),
  load: (doc, pipelineId, revision) =>
    set((s) => ({ ...withDoc(doc), pipelineId, revision, loads: s.loads + 1, dirty: false, past: [], future: [], selection: [] })),
  markSaved: (pipelineId, revision) => set({ pipelineId, revision, dirty: false }),
  change: (mutate, coalesce) => {
    const before = get().doc;
    const doc = mutate(before);
    if (doc === before) return;
    const now = Date.now();
    const merge = coalesce !== undefined && coalesce === lastChange.key && now - lastChange.at < COALESCE_MS && get().past.length > 0;
    lastChange = { key: coalesce, at: now };
    const past = merge ? get().past : [...get().past.slice(-HISTORY + 1), before];
    set({ ...withDoc(doc), dirty: true, past, future: [] });
  },
  changeQuietly: (mutate) => {
    const before = get().doc;
    const doc = mutate(before);
    if (doc === before) return;
    // The step opened by `checkpoint` is taken at the first real change: a click without a move leaves no empty step.
    const step = stepOpen ? { past: [...get().past.slice(-HISTORY + 1), before], future: [] } : {};
    stepOpen = false;
    set({ doc, nodeIndex: indexNodes(doc), dirty: true, ...step });
  },
  checkpoint: () => {
    lastChange = { key: undefined, at: 0 };
    stepOpen = true;
  },
  undo: () => {
    lastChange = { key: undefined, at: 0 };
    stepOpen = false;
    const { past, doc, future } = get();
    if (!past.length) return;
    const previous = past[past.length - 1];
    set({ ...withDoc(previous), past: past.slice(0, -1), future: [doc, ...future], dirty: true });
  },
  redo: () => {
    const { past, doc, future } = get();
    if (!future.length) return;
    const next = future[0];
    set({ ...withDoc(next), past: [...past, doc], future: future.slice(1), dirty: true });
  },
  select: (selection) => set({ selection }),
}));

