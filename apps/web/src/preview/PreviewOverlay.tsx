import { Panel, ViewportPortal, useInternalNode } from '@xyflow/react';
import { useEditor } from '../state/editor-store';
import { useUi } from '../state/ui-store';
import { previewStatus, rowsLabel, usePreviewRun } from './preview-run-store';

/** Opens the drawer's Preview tab on a node or an edge: it shows the preview run's rows for it. */
export function showPreviewRows(id: string): void {
  useEditor.getState().select([id]);
  useUi.getState().setTab('Preview');
}

/** Below a sink node: how many records it would have received (its connector was never opened). */
function SinkReceived({ id, count }: { id: string; count: number }) {
  const node = useInternalNode(id);
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? 0;
  const height = node.measured.height ?? 0;
  return (
    <button className="preview-sink nodrag nopan" data-testid={`preview-sink-received-${id}`} onClick={() => showPreviewRows(id)}
      style={{ transform: `translate(-50%, 0) translate(${x + width / 2}px, ${y + height + 6}px)` }}
      title="What this sink would have received (nothing was written): click for the rows">
      would receive {rowsLabel(count)}
    </button>
  );
}

/**
 * The last preview run on the canvas (edge counts are drawn by the edges): what each sink would
 * receive, and a panel with the run's outcome, its summary and "Clear preview".
 */
export function PreviewOverlay() {
  const busy = usePreviewRun((s) => s.busy);
  const result = usePreviewRun((s) => s.result);
  if (!busy && !result) return null;
  const preview = usePreviewRun.getState();
  return (
    <>
      <Panel position="top-left" className="preview-panel" data-testid="preview-overlay">
        <strong>Preview run</strong>
        <span className="muted" data-testid="preview-overlay-status">{previewStatus(busy, result)}</span>
        {result && result.deadLetters.length > 0 && <span className="errors" data-testid="preview-overlay-dead-letters">{result.deadLetters.length} dead letter(s)</span>}
        {result && <button onClick={preview.showSummary} data-testid="preview-summary" title="Every edge and sink in one list">Summary</button>}
        {result && <button onClick={preview.clear} data-testid="preview-clear">Clear preview</button>}
      </Panel>
      {result && (
        <ViewportPortal>
          {Object.entries(result.sinks).map(([id, s]) => <SinkReceived key={id} id={id} count={s.count} />)}
        </ViewportPortal>
      )}
    </>
  );
}
