import { memo, useMemo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useEditor } from '../state/editor-store';
import { isLive, useIsLive, useLive, useNodeMetrics } from '../state/live-store';
import { outputPortsOf } from './ports';
import { nodeFigures } from './node-figures';

/** Data carried by a canvas node: plain values only (no functions), as React Flow advises. */
export type EddyNodeData = { kind: string };
export type EddyFlowNode = Node<EddyNodeData, 'eddy'>;

/**
 * Every node is this wide whatever it shows (its figures wrap inside): positions and the
 * auto-layout can then keep nodes apart. The tallest node (four rows of figures) is NODE_MAX_HEIGHT.
 */
export const NODE_WIDTH = 184;
export const NODE_MAX_HEIGHT = 112;

/** Live figures of one node: re-renders only when this node's figures change. */
function NodeFigures({ id }: { id: string }) {
  const m = useNodeMetrics(id);
  const live = useIsLive();
  const figures = useMemo(() => nodeFigures(id, m, live), [id, m, live]);
  if (!figures.length) return null;
  return (
    <div className="node-figures" data-testid={m?.flinkVertex ? `node-flink-${id}` : `node-figures-${id}`}>
      {figures.map((f) => <span key={f.key} className={f.className} title={`${f.title}: ${f.text}`} data-testid={f.testId}>{f.text}</span>)}
    </div>
  );
}

/** Backpressure as a colour band (share of the last second the node's output waited). */
const pressure = (bp: number | undefined) => (bp === undefined || bp < 0.3 ? '' : bp < 0.7 ? ' bp-warn' : ' bp-high');

function EddyNodeView({ id, data, selected }: NodeProps<EddyFlowNode>) {
  const entry = useEditor((s) => s.kinds[data.kind]);
  // Indexed once per document change: a node looks up its own, not the whole document.
  const params = useEditor((s) => s.nodeIndex[id]?.params);
  const issueText = useEditor((s) => s.issuesByNode[id] ?? '');
  const label = useEditor((s) => s.nodeIndex[id]?.name);
  const issueCount = issueText ? issueText.split('\n').length : 0;
  const inputs = entry?.inputs ?? [];
  const outputs = entry ? outputPortsOf(entry, params) : [];
  const category = entry?.category ?? 'unknown';
  const bp = useLive((s) => (isLive(s.status) ? pressure(s.metrics?.nodes[id]?.backpressure) : ''));
  const title = entry?.title ?? data.kind;
  return (
    <div className={`eddy-node cat-${category}${selected ? ' selected' : ''}${issueCount ? ' has-errors' : ''}${bp}`} data-testid={`node-${id}`}
      style={{ width: NODE_WIDTH }} title={entry?.doc.split('. ')[0]}>
      {inputs.map((p, i) => (
        <Handle key={p.name} id={p.name} type="target" position={Position.Left} data-testid={`handle-in-${id}-${p.name}`}
          style={{ top: `${((i + 1) / (inputs.length + 1)) * 100}%` }} title={p.name}>
          {inputs.length > 1 && <span className="port-label in">{p.name}</span>}
        </Handle>
      ))}
      <div className="node-head">
        <span className="node-title" data-testid={`node-label-${id}`} title={label ? `${entry?.title ?? data.kind}: ${label}` : undefined}>{label || (entry?.title ?? data.kind)}</span>
        {issueCount > 0 && <span className="node-error-badge" data-testid={`node-errors-${id}`} title={issueText}>{issueCount}</span>}
      </div>
      <div className="node-id" title={id}>{id}</div>
      <NodeFigures id={id} />
      {outputs.map((p, i) => (
        <Handle key={p.name} id={p.name} type="source" position={Position.Right} data-testid={`handle-out-${id}-${p.name}`}
          style={{ top: `${((i + 1) / (outputs.length + 1)) * 100}%` }} title={p.name}>
          {outputs.length > 1 && <span className="port-label out">{p.name}</span>}
        </Handle>
      ))}
    </div>
  );
}

export const EddyNode = memo(EddyNodeView);
