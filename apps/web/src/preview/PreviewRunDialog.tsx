import { useCallback } from 'react';
import { useEscape } from '../ui/use-escape';
import { RecordsTable } from '../ui/RecordsTable';
import { captureKey, pickedRecords, previewStatus, usePreviewRun } from './preview-run-store';

/** The summary of a preview run (the canvas carries the same per edge and sink): each edge's records and count, each sink's would-be input. */
export function PreviewRunDialog() {
  const { open, busy, result, byEdge, picked } = usePreviewRun();
  const close = useCallback(() => usePreviewRun.getState().close(), []);
  useEscape(open, close);
  if (!open) return null;
  const pick = usePreviewRun.getState().pick;
  const rows = pickedRecords(result, byEdge, picked);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="preview-run-title" data-testid="preview-run-dialog" onClick={close}>
      <div className="modal preview-run" onClick={(e) => e.stopPropagation()}>
        <div className="history-head">
          <h2 id="preview-run-title">Preview run</h2>
          <span className="muted" data-testid="preview-run-status">
            {previewStatus(busy, result)}
          </span>
          <div className="spacer" />
          <button onClick={close} data-testid="preview-run-close">Close</button>
        </div>
        {result && (
          <div className="preview-run-body">
            <div className="preview-run-list">
              <h3>Sinks would receive</h3>
              {Object.entries(result.sinks).map(([id, s]) => (
                <button key={id} className={`preview-run-item${picked === `sink:${id}` ? ' active' : ''}`} onClick={() => pick(`sink:${id}`)} data-testid={`preview-sink-${id}`}>
                  <span>{id} <span className="muted">{s.kind}</span></span><span className="count">{s.count}</span>
                </button>
              ))}
              {!Object.keys(result.sinks).length && <p className="muted">No sinks.</p>}
              <h3>Edges carried</h3>
              {result.edges.map((e) => (
                <button key={captureKey(e)} className={`preview-run-item${picked === `edge:${captureKey(e)}` ? ' active' : ''}`} onClick={() => pick(`edge:${captureKey(e)}`)} data-testid={`preview-edge-${e.from}-${e.to}`}>
                  <span>{e.from}{e.fromPort !== 'out' ? `.${e.fromPort}` : ''} → {e.to}</span><span className="count">{e.count}</span>
                </button>
              ))}
              {result.deadLetters.length > 0 && <p className="errors" data-testid="preview-dead-letters">{result.deadLetters.length} dead letter(s): {result.deadLetters[0].nodeId}: {result.deadLetters[0].reason}</p>}
            </div>
            <div className="preview-run-rows">
              {rows.length ? <RecordsTable rows={rows} testId="preview-run-rows" /> : <p className="muted">No records.</p>}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
