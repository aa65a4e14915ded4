import { useMemo } from 'react';
import { liveNodeMetrics, useLive } from '../state/live-store';
import { subtaskRows, type SubtaskRow } from './subtasks';

/**
 * The selected node's figures per subtask, as Flink's subtask view (a node run in parallel).
 * The selector returns the rows as one string, so a tick that changes no shown figure re-renders nothing.
 */
export function Subtasks({ nodeId }: { nodeId: string }) {
  const json = useLive((s) => {
    const rows = subtaskRows(liveNodeMetrics(s, nodeId));
    return rows ? JSON.stringify(rows) : '';
  });
  const rows = useMemo(() => (json ? (JSON.parse(json) as SubtaskRow[]) : null), [json]);
  if (!rows) return null;
  const hot = rows.find((r) => r.hot);
  return (
    <section className="subtasks" data-testid="subtasks">
      <h3>Subtasks</h3>
      {hot && <p className="muted" data-testid="subtask-skew">Subtask {hot.index} holds more than twice its share of the records: a skewed key.</p>}
      <table>
        <thead>
          <tr><th>#</th><th>in</th><th>out</th><th title="records out per second">rate</th><th title="back-pressured share of the last second">bp</th><th>watermark</th><th>keys</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.index} className={r.hot ? 'hot' : undefined} data-testid={`subtask-${r.index}`} title={r.hot ? 'hot subtask: most records, over twice the mean' : undefined}>
              <td>{r.index}</td><td data-testid={`subtask-in-${r.index}`}>{r.recordsIn}</td><td>{r.recordsOut}</td><td>{r.rate}</td>
              <td>{r.backpressure}</td><td title={r.watermarkTitle}>{r.watermark}</td><td>{r.keys}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
