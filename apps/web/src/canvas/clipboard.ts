import type { PipelineDocument, PipelineEdge, PipelineNode } from '@eddy/shared';
import { useEditor } from '../state/editor-store';

/** Nodes (and the edges between them) copied in this tab; also put on the system clipboard as JSON. */
let copied: { nodes: PipelineNode[]; edges: PipelineEdge[] } | null = null;

export function copySelection(): number {
  const { doc, selection } = useEditor.getState();
  const nodes = doc.nodes.filter((n) => selection.includes(n.id));
  if (!nodes.length) return 0;
  const ids = new Set(nodes.map((n) => n.id));
  copied = { nodes: structuredClone(nodes), edges: doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to)) };
  void navigator.clipboard?.writeText(JSON.stringify(copied, null, 2)).catch(() => undefined);
  return nodes.length;
}

/** Pastes the copied nodes with fresh ids, offset a little, as one undo step, and selects them. */
export function paste(): number {
  if (!copied) return 0;
  const source = copied;
  const editor = useEditor.getState();
  const rename = new Map<string, string>();
  editor.change((doc: PipelineDocument) => {
    const taken = new Set(doc.nodes.map((n) => n.id));
    for (const n of source.nodes) {
      let id = `${n.id}_copy`.slice(0, 60);
      for (let i = 2; taken.has(id); i++) id = `${n.id}_copy${i}`.slice(0, 64);
      taken.add(id);
      rename.set(n.id, id);
    }
    return {
      ...doc,
      nodes: [...doc.nodes, ...source.nodes.map((n) => ({ ...structuredClone(n), id: rename.get(n.id)!, ui: { x: (n.ui?.x ?? 0) + 40, y: (n.ui?.y ?? 0) + 60 } }))],
      edges: [...doc.edges, ...source.edges.map((e) => ({ ...e, from: rename.get(e.from)!, to: rename.get(e.to)! }))],
    };
  });
  editor.select([...rename.values()]);
  return rename.size;
}
