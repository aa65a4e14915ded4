import { useState, type FormEvent } from 'react';
import { sendToken, useAuth } from './auth-store';

/** Asks for the server's token when the API answers 401, then reloads with the session cookie set. */
export function TokenDialog() {
  const needed = useAuth((s) => s.tokenNeeded);
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!needed) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const problem = await sendToken(token.trim());
    setBusy(false);
    if (problem) setError(problem);
    else window.location.reload();
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="token-title" data-testid="token-dialog">
      <form className="modal token" onSubmit={(e) => void submit(e)}>
        <h2 id="token-title">This Eddy needs its token</h2>
        <p className="muted">The server was started with a token (EDDY_TOKEN, or the one it printed at start). Enter it to open the designer; it is kept in a cookie for this server.</p>
        <input type="password" autoFocus autoComplete="current-password" value={token} aria-label="Token" data-testid="token-input"
          onChange={(e) => { setToken(e.target.value); setError(null); }} />
        {error && <p className="error" data-testid="token-error">{error}</p>}
        <div className="modal-actions"><button className="primary" type="submit" disabled={busy || !token.trim()}>Open</button></div>
      </form>
    </div>
  );
}
