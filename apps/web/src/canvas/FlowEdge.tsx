import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { useLive } from '../state/live-store';
import { useEditor } from '../state/editor-store';
import { useUi } from '../state/ui-store';
import { rowsLabel, usePreviewRun } from '../preview/preview-run-store';

/** Plain values only (no functions), as React Flow advises. */
export type FlowEdgeData = { guarantee: string; reason: string | null; portLabel: string | null; timeNote: string | null };
export type EddyFlowEdge = Edge<FlowEdgeData, 'flow'>;

const SHORT: Record<string, string> = { 'exactly-once': 'EO', 'at-least-once': 'ALO', 'at-most-once': 'AMO' };

/**
 * An edge that shows the flow: animated while records move, thicker with the rate of its
 * source node, and a badge with the delivery guarantee that holds up to it (and why, when
 * weaker than the pipeline's setting).
 */
function FlowEdgeView({ id, source, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<EddyFlowEdge>) {
  const rate = useLive((s) => s.metrics?.nodes[source]?.ratePerSec ?? 0);
  const running = useLive((s) => s.status?.state === 'running');
  const previewed = usePreviewRun((s) => s.byEdge[id]?.count); // what the last preview run saw on this edge
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const width = running && rate > 0 ? Math.min(8, 1.5 + Math.log10(rate + 1) * 1.5) : 1.5;
  const weaker = !!data?.reason;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd}
        className={running && rate > 0 ? 'flowing' : ''}
        style={{ strokeWidth: width, stroke: selected ? '#2563eb' : undefined }} />
      <EdgeLabelRenderer>
        <div className="edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          onClick={() => { useEditor.getState().select([id]); useUi.getState().setTab('Preview'); }} title="Preview the records on this edge">
          {data?.portLabel && <span className="edge-port">{data.portLabel}</span>}
          {data?.timeNote && <span className="edge-warning" title={data.timeNote} data-testid={`time-note-${id}`}>⏱ no event time</span>}
          {data && (
            <span className={`guarantee-badge g-${SHORT[data.guarantee] ?? ''}${weaker ? ' weaker' : ''}`} data-testid={`guarantee-${id}`}
              title={weaker ? `${data.guarantee}: ${data.reason}` : `${data.guarantee} holds up to here`}>
              {SHORT[data.guarantee] ?? data.guarantee}
            </span>
          )}
          {previewed !== undefined && <span className="preview-count" data-testid={`preview-count-${id}`} title="What the preview run carried here: click for the rows">{rowsLabel(previewed)}</span>}
          {running && rate > 0 && <span className="edge-rate" data-testid={`edge-rate-${id}`}>{rate >= 1000 ? `${(rate / 1000).toFixed(1)}k` : rate}/s</span>}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const FlowEdge = memo(FlowEdgeView);
