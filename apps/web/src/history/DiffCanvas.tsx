import { useMemo } from 'react';
import { Background, Handle, Position, ReactFlow, ReactFlowProvider, type Node, type NodeProps } from '@xyflow/react';
import type { DocumentDiff, PipelineDocument } from '@eddy/shared';

export type DiffMark = 'added' | 'removed' | 'changed' | 'same';
type DiffNodeData = { id: string; kind: string; mark: DiffMark; fields: string[]; side: string };

function DiffNode({ data }: NodeProps<Node<DiffNodeData>>) {
  return (
    <div className={`diff-node diff-${data.mark}`} data-testid={`diff-${data.side}-${data.id}`} data-diff={data.mark}
      title={data.fields.length ? `Changed: ${data.fields.join(', ')}` : undefined}>
      <Handle type="target" position={Position.Left} isConnectable={false} className="diff-handle" />
      <Handle type="source" position={Position.Right} isConnectable={false} className="diff-handle" />
      <div className="diff-node-id">{data.id}</div>
      <div className="diff-node-kind">{data.kind}</div>
      {data.mark !== 'same' && <div className="diff-node-mark">{data.mark}{data.fields.length ? `: ${data.fields.join(', ')}` : ''}</div>}
    </div>
  );
}

const nodeTypes = { diff: DiffNode };

/** One side of a diff, read-only: `side` a shows what was removed, b what was added; both show what changed. */
export function DiffCanvas({ doc, diff, side }: { doc: PipelineDocument; diff: DocumentDiff; side: 'a' | 'b' }) {
  const nodes = useMemo(() => {
    const changed = new Map(diff.nodes.changed.map((c) => [c.id, c.fields]));
    const gone = new Set(side === 'a' ? diff.nodes.removed : diff.nodes.added);
    return doc.nodes.map((n): Node<DiffNodeData> => ({
      id: n.id, type: 'diff', position: { x: n.ui?.x ?? 0, y: n.ui?.y ?? 0 },
      data: { id: n.id, kind: n.kind, side, fields: changed.get(n.id) ?? [],
        mark: gone.has(n.id) ? (side === 'a' ? 'removed' : 'added') : changed.has(n.id) ? 'changed' : 'same' },
    }));
  }, [doc, diff, side]);
  const edges = useMemo(() => {
    const key = (e: { from: string; to: string; fromPort?: string; toPort?: string }) => `${e.from}:${e.fromPort ?? 'out'}->${e.to}:${e.toPort ?? 'in'}`;
    const marked = new Set((side === 'a' ? diff.edges.removed : diff.edges.added).map(key));
    return doc.edges.map((e) => ({
      id: key(e), source: e.from, target: e.to,
      className: marked.has(key(e)) ? `diff-edge-${side === 'a' ? 'removed' : 'added'}` : undefined,
    }));
  }, [doc, diff, side]);
  return (
    <ReactFlowProvider>
      <div className="diff-canvas" data-testid={`diff-canvas-${side}`}>
        <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} fitView fitViewOptions={{ padding: 0.15, minZoom: 0.3, maxZoom: 1 }}
          nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} proOptions={{ hideAttribution: true }}>
          <Background gap={20} size={1} />
        </ReactFlow>
      </div>
    </ReactFlowProvider>
  );
}
