import { useEffect } from 'react';
import { api } from '../api/client';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';

/** Dead letters: the record, the node, the reason, the time — live from the socket, the history from REST. */
export function DeadLetters() {
  const pipelineId = useEditor((s) => s.pipelineId);
  const deadLetters = useLive((s) => s.deadLetters);
  const total = useLive((s) => s.metrics?.deadLetters ?? 0);
  useEffect(() => {
    if (!pipelineId) return;
    void api.deadLetters(pipelineId).then((r) => useLive.getState().mergeDeadLetters(r.deadLetters)).catch(() => undefined);
  }, [pipelineId]);
  if (!deadLetters.length) return <p className="muted" data-testid="dead-letters-empty">No dead letters: every record parsed and evaluated.</p>;
  return (
    <div data-testid="dead-letters">
      <div className="drawer-toolbar"><span>{total.toLocaleString()} in total; the latest {deadLetters.length} shown</span></div>
      <table>
        <thead><tr><th>time</th><th>node</th><th>reason</th><th>record</th></tr></thead>
        <tbody>
          {deadLetters.slice(0, 200).map((d, i) => (
            <tr key={i}>
              <td>{new Date(d.at).toLocaleTimeString()}</td><td>{d.nodeId}</td><td className="errors">{d.reason}</td>
              <td title={JSON.stringify(d.record)}><code>{JSON.stringify(d.record).slice(0, 160)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
