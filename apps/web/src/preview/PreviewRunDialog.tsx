import { useCallback } from 'react';
import { useEscape } from '../ui/use-escape';
import { RecordsTable } from '../ui/RecordsTable';
import { usePreviewRun } from './preview-run-store';

/** What a preview run saw: each edge's records and count, each sink's would-be input. Nothing was deployed or written. */
export function PreviewRunDialog() {
  const { open, busy, result, picked } = usePreviewRun();
  const close = useCallback(() => usePreviewRun.getState().close(), []);
  useEscape(open, close);
  if (!open) return null;
  const pick = usePreviewRun.getState().pick;
  const rows = !result || !picked ? []
    : picked.startsWith('sink:') ? result.sinks[picked.slice(5)]?.records ?? []
      : result.edges[Number(picked.slice(5))]?.records ?? [];
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="preview-run-title" data-testid="preview-run-dialog" onClick={close}>
      <div className="modal preview-run" onClick={(e) => e.stopPropagation()}>
        <div className="history-head">
          <h2 id="preview-run-title">Preview run</h2>
          <span className="muted" data-testid="preview-run-status">
            {busy ? 'Running on a sample of the sources, sinks captured…'
              : result ? `${result.state === 'finished' ? 'Sources ran out' : 'Sampled'} after ${(result.ranMs / 1000).toFixed(1)} s — no sink was written${result.error ? ` · failed: ${result.error}` : ''}` : ''}
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
              {result.edges.map((e, i) => (
                <button key={i} className={`preview-run-item${picked === `edge:${i}` ? ' active' : ''}`} onClick={() => pick(`edge:${i}`)} data-testid={`preview-edge-${e.from}-${e.to}`}>
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
