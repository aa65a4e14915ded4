import { useCallback, useEffect, useRef } from 'react';
import { useEscape } from '../ui/use-escape';
import { useDialog } from './dialog-store';

/**
 * The app's one dialog for confirm, ask and prompt: a title, a message, an optional checkbox or
 * text field, and the choices. Focus starts on the request's safe or default button (or the text
 * field), so Enter takes it; Esc or the backdrop gives the cancel answer.
 */
export function Dialog() {
  const request = useDialog((s) => s.request);
  const option = useDialog((s) => s.option);
  const value = useDialog((s) => s.value);
  const error = useDialog((s) => s.error);
  const focused = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const cancel = useCallback(() => { const r = useDialog.getState().request; if (r) useDialog.getState().choose(r.cancel); }, []);
  useEscape(request !== null, cancel);
  useEffect(() => { (field.current ?? focused.current)?.focus(); }, [request]);
  if (!request) return null;
  const { choose, setOption, setValue } = useDialog.getState();
  const id = request.testId ?? 'ask';
  const focus = request.focus ?? request.cancel;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="dialog-title" data-testid={`${id}-dialog`} onClick={cancel}>
      <div className="modal dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="dialog-title">{request.title}</h2>
        {request.message && <p className="dialog-message" data-testid={`${id}-message`}>{request.message}</p>}
        {request.option && (
          <label className="dialog-option">
            <input type="checkbox" checked={option} onChange={(e) => setOption(e.target.checked)} data-testid={`${id}-option`} /> {request.option.label}
          </label>
        )}
        {request.input && (
          <label className="dialog-input">
            {request.input.label}
            <input ref={field} value={value} placeholder={request.input.placeholder} onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Enter') choose(focus); }} aria-invalid={!!error} data-testid={`${id}-input`} />
            {error && <span className="error" role="alert" data-testid={`${id}-error`}>{error}</span>}
          </label>
        )}
        <div className="modal-actions">
          {request.choices.map((c) => (
            <button key={c.id} ref={c.id === focus ? focused : undefined} className={c.kind ?? ''} onClick={() => choose(c.id)} data-testid={`${id}-${c.id}`}>{c.label}</button>
          ))}
        </div>
      </div>
    </div>
  );
}
