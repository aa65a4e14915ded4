import { formatDuration } from '../ui/format';
import { useIsLive, useLive } from '../state/live-store';

const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().slice(11, 23));

/** Per-node figures, refreshed each second. */
export function MetricsTable() {
  const metrics = useLive((s) => s.metrics);
  const live = useIsLive();
  if (!metrics) return <p className="muted">Deploy the pipeline to see its figures.</p>;
  return (
    <table className="metrics" data-testid="metrics-table">
      {!live && <caption className="muted">Totals of the last run (not running): no rates</caption>}
      <thead>
        <tr><th>node</th><th>in</th><th>out</th><th>rate/s</th><th>p50 ms</th><th>p99 ms</th><th>watermark</th><th>lag</th><th>late</th><th>errors</th><th>state keys</th></tr>
      </thead>
      <tbody>
        {Object.entries(metrics.nodes).map(([id, m]) => (
          <tr key={id}>
            <td>{id}</td><td>{m.recordsIn}</td><td>{m.recordsOut}</td><td>{live ? m.ratePerSec : '—'}</td>
            <td>{m.latencyMs.p50.toFixed(2)}</td><td>{m.latencyMs.p99.toFixed(2)}</td><td>{time(m.watermark)}</td>
            <td title={m.watermarkLagMs === null ? undefined : `${m.watermarkLagMs} ms`}>{m.watermarkLagMs === null ? '—' : formatDuration(m.watermarkLagMs)}</td>
            <td>{m.lateRecords}</td><td>{m.errors}</td><td>{m.stateKeys}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
