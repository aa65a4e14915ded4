import { useCallback, useEffect, useRef } from 'react';
import { useConfirm } from './confirm-store';
import { useEscape } from './use-escape';

/** The app's confirmation dialog: Enter confirms (focus starts on the confirm button), Esc cancels. */
export function ConfirmDialog() {
  const req = useConfirm((s) => s.request);
  const option = useConfirm((s) => s.option);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancel = useCallback(() => useConfirm.getState().request?.resolve('cancel'), []);
  useEscape(req !== null, cancel);
  useEffect(() => { confirmRef.current?.focus(); }, [req]);
  if (!req) return null;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="confirm-title" data-testid="confirm-dialog" onClick={cancel}>
      <div className="modal confirm" onClick={(e) => e.stopPropagation()}>
        <h2 id="confirm-title">{req.title}</h2>
        {req.body && <p className="confirm-body">{req.body}</p>}
        {req.option && (
          <label className="confirm-option">
            <input type="checkbox" checked={option} onChange={(e) => useConfirm.setState({ option: e.target.checked })} data-testid="confirm-option" /> {req.option.label}
          </label>
        )}
        <div className="modal-actions">
          <button onClick={cancel} data-testid="confirm-cancel">Cancel</button>
          {req.alternative && <button onClick={() => req.resolve('alternative')} data-testid="confirm-alternative">{req.alternative}</button>}
          <button ref={confirmRef} className={req.danger ? 'danger' : 'primary'} onClick={() => req.resolve('confirm')} data-testid="confirm-ok">{req.confirm}</button>
        </div>
      </div>
    </div>
  );
}
