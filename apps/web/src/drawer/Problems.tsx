import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';

/** Every validation error (click selects its node) and the latest dead letters. */
export function Problems() {
  const issues = useEditor((s) => s.issues);
  const deadLetters = useLive((s) => s.deadLetters);
  return (
    <div className="problems" data-testid="problems">
      {!issues.length && <p className="muted">No problems: the pipeline is valid.</p>}
      <ul>
        {issues.map((i, n) => (
          <li key={n} className="problem" onClick={() => i.nodeId && useEditor.getState().select([i.nodeId])}>
            <strong>{i.nodeId ?? 'pipeline'}</strong> <code>{i.path}</code> {i.message}
          </li>
        ))}
      </ul>
      {deadLetters.length > 0 && <h4>Dead letters</h4>}
      <ul>
        {deadLetters.slice(0, 50).map((d, n) => (
          <li key={n} className="dead-letter"><strong>{d.nodeId}</strong> {d.reason} <code>{JSON.stringify(d.record).slice(0, 200)}</code></li>
        ))}
      </ul>
    </div>
  );
}
