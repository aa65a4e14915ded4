import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, useReactFlow, type Connection, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import { edgeGuarantees, edgeTimeNotes } from '@eddy/shared';
import { FlowEdge, type EddyFlowEdge } from './FlowEdge';
import { PreviewOverlay } from '../preview/PreviewOverlay';
import { TestsOverlay } from '../tests-panel/TestsOverlay';
import { useUi } from '../state/ui-store';
import { addNode, connect, edgeKey, moveNode, removeEdges, removeNodes, useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { EddyNode, NODE_WIDTH, type EddyFlowNode } from './EddyNode';
import { OverviewMap } from './OverviewMap';

/** Defined once, outside components, so React Flow never sees a new nodeTypes object. */
const nodeTypes = { eddy: EddyNode };
const edgeTypes = { flow: FlowEdge };
// Props as constants too: a new array or object each render would make React Flow redo its work.
const PRO_OPTIONS = { hideAttribution: true };
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const MINIMAP_STYLE = { width: 150, height: 90 };
export const DRAG_MIME = 'application/eddy-kind';
const ANIMATED_EDGES_MAX = 60;
/**
 * Above this many nodes only the nodes and edges in view are in the page: every tick changes the
 * figures of every node, and laying out, painting and hit-testing 200 nodes took a frame of its own.
 * Every node is still rendered once (React Flow measures it), so the minimap and fitting know them all.
 * Such a canvas has a lighter minimap too (OverviewMap: one path for all nodes).
 */
const RENDER_VISIBLE_ONLY_ABOVE = 60;

type Size = { width: number; height: number };
const sameSize = (a: Size | undefined, b: Size): boolean => !!a && a.width === b.width && a.height === b.height;

/** Selection changes, the same for nodes and edges (deletions come whole through onDelete). */
function applySelection(changes: (NodeChange<EddyFlowNode> | EdgeChange<EddyFlowEdge>)[]): void {
  const selects = changes.flatMap((c) => (c.type === 'select' ? [c] : []));
  if (!selects.length) return;
  const editor = useEditor.getState();
  const next = new Set(editor.selection);
  for (const c of selects) (c.selected ? next.add(c.id) : next.delete(c.id));
  editor.select([...next]);
}

export function Canvas() {
  const doc = useEditor((s) => s.doc);
  const selection = useEditor((s) => s.selection);
  const running = useLive((s) => s.status?.state === 'running');
  const { screenToFlowPosition, fitView } = useReactFlow();
  const loads = useEditor((s) => s.loads);
  // Each loaded document (open, import, template) is shown whole — and only then: a fit on the
  // first node dropped on an empty canvas would move it away from the cursor.
  useEffect(() => {
    // An empty document is not fitted: React Flow would queue the fit and apply it to the first node dropped.
    if (!useEditor.getState().doc.nodes.length) return;
    // A minimum zoom keeps node text readable: a large template is panned, not shrunk to 7 px.
    const t = setTimeout(() => void fitView({ padding: 0.2, maxZoom: 1.1, minZoom: 0.75 }), 60);
    return () => clearTimeout(t);
  }, [loads, fitView]);

  // Measured sizes come back as 'dimensions' changes: keep them on the nodes (the minimap draws only measured nodes).
  const [sizes, setSizes] = useState<Record<string, Size>>({});
  const nodes: EddyFlowNode[] = useMemo(() => doc.nodes.map((n) => ({
    id: n.id, type: 'eddy', position: { x: n.ui?.x ?? 0, y: n.ui?.y ?? 0 }, data: { kind: n.kind }, selected: selection.includes(n.id),
    ...(sizes[n.id] && { measured: sizes[n.id] }),
  })), [doc.nodes, selection, sizes]);
  // Marching dashes repaint every edge on every frame: on a large canvas the edge widths show the flow instead.
  const animate = running && doc.edges.length <= ANIMATED_EDGES_MAX;
  const guarantees = useMemo(() => edgeGuarantees(doc), [doc]);
  const timeNotes = useMemo(() => edgeTimeNotes(doc), [doc]);
  const edges: EddyFlowEdge[] = useMemo(() => doc.edges.map((e, i) => ({
    id: edgeKey(e), type: 'flow', source: e.from, target: e.to, sourceHandle: e.fromPort ?? 'out', targetHandle: e.toPort ?? 'in',
    animated: animate, selected: selection.includes(edgeKey(e)),
    data: { guarantee: guarantees[i]?.guarantee ?? doc.settings.guarantee, reason: guarantees[i]?.reason ?? null, portLabel: e.fromPort && e.fromPort !== 'out' ? e.fromPort : null,
      timeNote: timeNotes[i] ?? null },
  })), [doc.edges, doc.settings.guarantee, guarantees, timeNotes, animate, selection]);

  const onNodesChange = useCallback((changes: NodeChange<EddyFlowNode>[]) => {
    const editor = useEditor.getState();
    const measured: Record<string, Size> = {};
    for (const c of changes) {
      // The undo step was taken when the drag started (onNodeDragStart).
      if (c.type === 'position' && c.position) editor.changeQuietly((d) => moveNode(d, c.id, c.position!.x, c.position!.y));
      if (c.type === 'dimensions' && c.dimensions) measured[c.id] = c.dimensions;
    }
    // A node scrolled back into view reports its size again: an unchanged size must not rebuild every node.
    if (Object.keys(measured).length) {
      setSizes((old) => {
        const resized = Object.keys(measured).filter((id) => !sameSize(old[id], measured[id]));
        return resized.length ? { ...old, ...Object.fromEntries(resized.map((id) => [id, measured[id]])) } : old;
      });
    }
    applySelection(changes);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<EddyFlowEdge>[]) => applySelection(changes), []);

  // React Flow reports a deleted node and its edges as separate changes: remove them together, as one undo step.
  const onDelete = useCallback(({ nodes: gone, edges: cut }: { nodes: EddyFlowNode[]; edges: EddyFlowEdge[] }) => {
    const editor = useEditor.getState();
    editor.change((d) => removeEdges(removeNodes(d, gone.map((n) => n.id)), cut.map((e) => e.id)));
    editor.select(editor.selection.filter((id) => !gone.some((n) => n.id === id) && !cut.some((e) => e.id === id)));
  }, []);

  // Clicking an edge previews the records flowing on it.
  const onEdgeClick = useCallback((_e: unknown, edge: EddyFlowEdge) => {
    useEditor.getState().select([edge.id]);
    useUi.getState().setTab('Preview');
  }, []);

  const onConnect = useCallback((c: Connection) => {
    useEditor.getState().change((d) => connect(d, { from: c.source, fromPort: c.sourceHandle ?? undefined, to: c.target, toPort: c.targetHandle ?? undefined }));
  }, []);

  // A node feeding itself is a cycle of one: refused while dragging, so it never reaches the document.
  const isValidConnection = useCallback((c: Connection | EddyFlowEdge) => c.source !== c.target, []);

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
      const [next, newId] = addNode(d, entry, { x: at.x - NODE_WIDTH / 2, y: at.y - 30 });
      id = newId;
      return next;
    });
    editor.select([id]);
  }, [screenToFlowPosition]);

  const large = doc.nodes.length > RENDER_VISIBLE_ONLY_ABOVE;
  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onEdgeClick={onEdgeClick}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onDelete={onDelete}
        onConnect={onConnect}
        onNodeDragStart={onNodeDragStart}
        isValidConnection={isValidConnection}
        deleteKeyCode={DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        onlyRenderVisibleElements={large}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} size={1} />
        <Controls />
        <PreviewOverlay />
        <TestsOverlay />
        {large ? <OverviewMap nodes={nodes} />
          : <MiniMap position="top-right" pannable zoomable nodeColor="#94a3b8" maskColor="rgba(226, 232, 240, 0.5)" style={MINIMAP_STYLE} />}
      </ReactFlow>
    </div>
  );
}
