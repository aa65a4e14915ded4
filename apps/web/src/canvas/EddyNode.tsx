import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { useEditor } from '../state/editor-store';
import { useLive, useNodeMetrics } from '../state/live-store';
import { outputPortsOf } from './ports';
import type { NodeMetrics } from '@eddy/shared';

/** Data carried by a canvas node: plain values only (no functions), as React Flow advises. */
export type EddyNodeData = { kind: string };
export type EddyFlowNode = Node<EddyNodeData, 'eddy'>;

const fmtRate = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

const lag = (ms: number | null) => (ms === null ? null : ms >= 86_400_000 ? `${(ms / 86_400_000).toFixed(1)}d`
  : ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)}h` : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)}m` : `${(ms / 1000).toFixed(1)}s`);

/** Live figures of one node: re-renders only when this node's figures change. */
function NodeFigures({ id }: { id: string }) {
  const m = useNodeMetrics(id);
  if (!m) return null;
  const wmLag = lag(m.watermarkLagMs);
  if (m.flinkVertex) return <FlinkFigures id={id} m={m} wmLag={wmLag} />;
  return (
    <div className="node-figures">
      <span data-testid={`node-rate-${id}`} title="records per second (out; in for sinks)">{fmtRate(m.ratePerSec)}/s</span>
      {m.ratePerSecIn !== m.ratePerSec && m.recordsIn > 0 && <span title="records in per second">in {fmtRate(m.ratePerSecIn)}/s</span>}
      <span title="p99 latency from the source">p99 {m.latencyMs.p99.toFixed(m.latencyMs.p99 < 10 ? 2 : 0)} ms</span>
      {wmLag && <span title="event-time lag: now minus the watermark" data-testid={`node-lag-${id}`}>wm −{wmLag}</span>}
      {m.stateKeys > 0 && <span title="keys in state" data-testid={`node-keys-${id}`}>{fmtRate(m.stateKeys)} keys</span>}
      {m.lateRecords > 0 && <span className="late" title="late records">{m.lateRecords} late</span>}
      {m.errors > 0 && <span className="errors" title="dead letters" data-testid={`node-errors-count-${id}`}>{m.errors} dead</span>}
    </div>
  );
}

/**
 * Figures read from Flink's REST API: those of the Flink vertex that runs the node. Flink chains
 * operators and inlines views, so several nodes may share one vertex (and its figures).
 */
function FlinkFigures({ id, m, wmLag }: { id: string; m: NodeMetrics; wmLag: string | null }) {
  const v = m.flinkVertex!;
  return (
    <div className="node-figures" data-testid={`node-flink-${id}`}>
      <span data-testid={`node-records-${id}`} title="records in / out (the Flink vertex's)">in {fmtRate(m.recordsIn)} · out {fmtRate(m.recordsOut)}</span>
      <span data-testid={`node-rate-${id}`} title="records per second (out; in for sinks)">{fmtRate(m.ratePerSec)}/s</span>
      {m.backpressure > 0 && <span title="back-pressured share of time (busiest subtask)">bp {Math.round(m.backpressure * 100)}%</span>}
      {wmLag && <span title="event-time lag: now minus the watermark" data-testid={`node-lag-${id}`}>wm −{wmLag}</span>}
      {v.shared && <span className="shared" data-testid={`node-shared-${id}`}
        title={`Flink runs ${v.nodes.join(', ')} in one vertex (${v.name}): these are the vertex's figures`}>shared</span>}
    </div>
  );
}

/** Backpressure as a colour band (share of the last second the node's output waited). */
const pressure = (bp: number | undefined) => (bp === undefined || bp < 0.3 ? '' : bp < 0.7 ? ' bp-warn' : ' bp-high');

function EddyNodeView({ id, data, selected }: NodeProps<EddyFlowNode>) {
  const entry = useEditor((s) => s.kinds[data.kind]);
  const params = useEditor((s) => s.doc.nodes.find((n) => n.id === id)?.params);
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
        <span className="node-title">{entry?.title ?? data.kind}</span>
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
