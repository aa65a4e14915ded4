import { useEffect } from 'react';
import { watchEdge } from '../actions';
import { useEditor } from '../state/editor-store';
import { formatDuration } from '../ui/format';
import { useLive } from '../state/live-store';
import { useSamples } from '../state/samples-store';

const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 23));

/** Window nodes' ids, as one string so the selector compares by value. */
const useWindowNodes = () => useEditor((s) => s.doc.nodes.filter((n) => n.kind === 'window').map((n) => n.id).join(','));

/** The watermark lens: per node watermark and event-time lag, late counts, and the late records of window nodes. */
export function Watermarks() {
  const metrics = useLive((s) => s.metrics);
  const running = useLive((s) => s.status?.state === 'running');
  const windows = useWindowNodes();
  const late = useSamples((s) => s.byEdge);
  useEffect(() => {
    if (!running || !windows) return;
    const edges = windows.split(',').map((id) => `${id}:late`);
    for (const e of edges) watchEdge(e, true);
    return () => { for (const e of edges) watchEdge(e, false); };
  }, [running, windows]);
  if (!metrics) return <p className="muted">Deploy the pipeline to see its watermarks.</p>;
  const lateRecords = windows ? windows.split(',').flatMap((id) => (late[`${id}:late`]?.records ?? []).map((r) => [id, r] as const)) : [];
  return (
    <div className="watermarks" data-testid="watermarks">
      <table>
        <thead><tr><th>node</th><th>watermark</th><th>event-time lag</th><th>late records</th></tr></thead>
        <tbody>
          {Object.entries(metrics.nodes).map(([id, m]) => (
            <tr key={id} data-testid={`wm-${id}`}>
              <td>{id}</td><td>{time(m.watermark)}</td>
              <td title={m.watermarkLagMs === null ? undefined : `${m.watermarkLagMs} ms`}>{m.watermarkLagMs === null ? '—' : formatDuration(m.watermarkLagMs)}</td>
              <td className={m.lateRecords ? 'late' : ''}>{m.lateRecords}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Late records {windows ? '(sampled from the windows\' late ports)' : ''}</h4>
      {lateRecords.length === 0 ? <p className="muted">None seen while this view is open.</p> : (
        <ul className="preview-list" data-testid="late-records">
          {lateRecords.slice(0, 100).map(([id, r], i) => <li key={i}><strong>{id}</strong> {JSON.stringify(r).slice(0, 200)}</li>)}
        </ul>
      )}
    </div>
  );
}
