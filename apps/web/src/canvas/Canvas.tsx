import { useCallback, useMemo, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import type { PipelineDocument } from '@eddy/shared';
import { addNode, connect, edgeKey, moveNode, removeEdges, removeNodes, useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { EddyNode, type EddyFlowNode } from './EddyNode';

/** Defined once, outside components, so React Flow never sees a new nodeTypes object. */
const nodeTypes = { eddy: EddyNode };
export const DRAG_MIME = 'application/eddy-kind';

/** Deletions (one undo step) and selection changes, the same for nodes and edges. */
function applyRemovalsAndSelection(changes: (NodeChange<EddyFlowNode> | EdgeChange)[],
  remove: (doc: PipelineDocument, ids: string[]) => PipelineDocument): void {
  const editor = useEditor.getState();
  const removed = changes.flatMap((c) => (c.type === 'remove' ? [c.id] : []));
  if (removed.length) editor.change((d) => remove(d, removed));
  const selects = changes.flatMap((c) => (c.type === 'select' ? [c] : []));
  if (!selects.length) return;
  const next = new Set(editor.selection);
  for (const c of selects) (c.selected ? next.add(c.id) : next.delete(c.id));
  editor.select([...next]);
}

export function Canvas() {
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const running = useLive((s) => s.status?.state === 'running');
  const { screenToFlowPosition } = useReactFlow();

  const nodes: EddyFlowNode[] = useMemo(() => doc.nodes.map((n) => ({
    id: n.id, type: 'eddy', position: { x: n.ui?.x ?? 0, y: n.ui?.y ?? 0 }, data: { kind: n.kind }, selected: selection.includes(n.id),
  })), [doc.nodes, selection]);
  const edges: Edge[] = useMemo(() => doc.edges.map((e) => ({
    id: edgeKey(e), source: e.from, target: e.to, sourceHandle: e.fromPort ?? 'out', targetHandle: e.toPort ?? 'in',
    animated: running, label: e.fromPort && e.fromPort !== 'out' ? e.fromPort : undefined, selected: selection.includes(edgeKey(e)),
  })), [doc.edges, running, selection]);

  const onNodesChange = useCallback((changes: NodeChange<EddyFlowNode>[]) => {
    const editor = useEditor.getState();
    for (const c of changes) {
      // The undo step was taken when the drag started (onNodeDragStart).
      if (c.type === 'position' && c.position) editor.changeQuietly((d) => moveNode(d, c.id, c.position!.x, c.position!.y));
    }
    applyRemovalsAndSelection(changes, removeNodes);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => applyRemovalsAndSelection(changes, removeEdges), []);

  const onConnect = useCallback((c: Connection) => {
    useEditor.getState().change((d) => connect(d, { from: c.source, fromPort: c.sourceHandle ?? undefined, to: c.target, toPort: c.targetHandle ?? undefined }));
  }, []);

  const onNodeDragStart = useCallback(() => useEditor.getState().checkpoint(), []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    const kind = e.dataTransfer.getData(DRAG_MIME);
    const editor = useEditor.getState();
    const entry = editor.kinds[kind];
    if (!entry) return;
    e.preventDefault();
    const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    let id = '';
    editor.change((d) => {
      const [next, newId] = addNode(d, entry, { x: at.x - 80, y: at.y - 30 });
      id = newId;
      return next;
    });
    editor.select([id]);
  }, [screenToFlowPosition]);

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDragStart={onNodeDragStart}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1.1 }}
        deleteKeyCode={['Delete', 'Backspace']}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}
