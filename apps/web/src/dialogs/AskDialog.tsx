import { useEffect, useRef } from 'react';
import { useAsk } from '../state/ask-store';

/** The app's question dialog: a title, a message and its choices; Esc or the backdrop cancels. */
export function AskDialog() {
  const request = useAsk((s) => s.request);
  const safe = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!request) return;
    safe.current?.focus(); // Enter then takes the harmless answer
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') useAsk.getState().choose(request.cancel); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [request]);
  if (!request) return null;
  const choose = useAsk.getState().choose;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="ask-title" data-testid="ask-dialog" onClick={() => choose(request.cancel)}>
      <div className="modal ask" onClick={(e) => e.stopPropagation()}>
        <h2 id="ask-title">{request.title}</h2>
        <p data-testid="ask-message">{request.message}</p>
        <div className="modal-actions">
          {request.choices.map((c) => (
            <button key={c.id} ref={c.id === request.cancel ? safe : undefined} className={c.kind ?? ''} onClick={() => choose(c.id)} data-testid={`ask-${c.id}`}>{c.label}</button>
          ))}
        </div>
      </div>
    </div>
  );
}
