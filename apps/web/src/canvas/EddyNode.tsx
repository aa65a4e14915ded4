import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useEditor } from '../state/editor-store';
import { useLive, useNodeMetrics } from '../state/live-store';
import { outputPortsOf } from './ports';
import { watermarkFigure } from '../ui/format';

/** Data carried by a canvas node: plain values only (no functions), as React Flow advises. */
export type EddyNodeData = { kind: string };
export type EddyFlowNode = Node<EddyNodeData, 'eddy'>;

const fmtRate = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));


/** Live figures of one node: re-renders only when this node's figures change. */
function NodeFigures({ id }: { id: string }) {
  const m = useNodeMetrics(id);
  if (!m) return null;
  const wm = watermarkFigure(m.watermark, m.watermarkLagMs);
  return (
    <div className="node-figures">
      <span data-testid={`node-rate-${id}`} title="records per second (out; in for sinks)">{fmtRate(m.ratePerSec)}/s</span>
      {m.ratePerSecIn !== m.ratePerSec && m.recordsIn > 0 && <span title="records in per second">in {fmtRate(m.ratePerSecIn)}/s</span>}
      <span title="p99 latency from the source">p99 {m.latencyMs.p99.toFixed(m.latencyMs.p99 < 10 ? 2 : 0)} ms</span>
      {wm && <span title={wm.title} data-testid={`node-lag-${id}`}>{wm.text}</span>}
      {m.stateKeys > 0 && <span title="keys in state" data-testid={`node-keys-${id}`}>{fmtRate(m.stateKeys)} keys</span>}
      {m.lateRecords > 0 && <span className="late" title="late records">{m.lateRecords} late</span>}
      {m.errors > 0 && <span className="errors" title="dead letters" data-testid={`node-errors-count-${id}`}>{m.errors} dead</span>}
    </div>
  );
}

/** Backpressure as a colour band (share of the last second the node's output waited). */
const pressure = (bp: number | undefined) => (bp === undefined || bp < 0.3 ? '' : bp < 0.7 ? ' bp-warn' : ' bp-high');

function EddyNodeView({ id, data, selected }: NodeProps<EddyFlowNode>) {
  const entry = useEditor((s) => s.kinds[data.kind]);
  const params = useEditor((s) => s.doc.nodes.find((n) => n.id === id)?.params);
  const label = useEditor((s) => s.doc.nodes.find((n) => n.id === id)?.name);
  // A string, not a fresh array: zustand re-renders when the selected value changes by identity.
  const issueText = useEditor((s) => s.issues.filter((i) => i.nodeId === id).map((i) => i.message).join('\n'));
  const issueCount = issueText ? issueText.split('\n').length : 0;
  const inputs = entry?.inputs ?? [];
  const outputs = entry ? outputPortsOf(entry, params) : [];
  const category = entry?.category ?? 'unknown';
  const bp = useLive((s) => pressure(s.metrics?.nodes[id]?.backpressure));
  return (
    <div className={`eddy-node cat-${category}${selected ? ' selected' : ''}${issueCount ? ' has-errors' : ''}${bp}`} data-testid={`node-${id}`}
      title={entry?.doc.split('. ')[0]}>
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
      <div className="node-id">{id}</div>
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
