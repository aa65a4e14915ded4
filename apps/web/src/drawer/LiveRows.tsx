import { memo, useEffect, useState } from 'react';
import { watchRows } from '../actions';
import { useEditor } from '../state/editor-store';
import { useIsLive, useLive } from '../state/live-store';
import { formatCell } from '../ui/format';

type Row = Record<string, unknown>;

/** One row: re-rendered only when a shown value changes (each payload is a fresh copy of the newest rows). */
const LiveRow = memo(function LiveRow({ row, columns }: { row: Row; columns: string[]; columnsKey: string }) {
  return <tr>{columns.map((c) => { const f = formatCell(row[c], c); return <td key={c} title={f.raw}>{f.text}</td>; })}</tr>;
}, (a, b) => a.columnsKey === b.columnsKey && a.columns.every((c) => Object.is(a.row[c], b.row[c])));

/** The rows of a sink.live node, newest first, as they arrive over the socket. */
export function LiveRows() {
  const sinks = useEditor((s) => s.doc.nodes.filter((n) => n.kind === 'sink.live').map((n) => n.id).join(','));
  const selected = useEditor((s) => s.selection.find((id) => s.doc.nodes.some((n) => n.id === id && n.kind === 'sink.live')));
  const [chosen, setChosen] = useState<string | null>(null);
  const ids = sinks ? sinks.split(',') : [];
  const nodeId = selected ?? (chosen && ids.includes(chosen) ? chosen : ids[0]);
  const payload = useLive((s) => (nodeId ? s.rows[nodeId] : undefined));
  // The server sends the rows of the shown node only: watched while shown, unwatched on a switch or when the tab closes.
  useEffect(() => {
    if (!nodeId) return undefined;
    watchRows(nodeId, true);
    return () => watchRows(nodeId, false);
  }, [nodeId]);
  const live = useIsLive();
  if (!ids.length) return <p className="muted">Add a Live table (sink.live) node to see rows here.</p>;
  const rows = payload?.rows ?? [];
  const columns = [...new Set(rows.slice(0, 50).flatMap((r) => Object.keys(r)))];
  const columnsKey = columns.join('\u0000');
  const total = payload?.total ?? rows.length;
  return (
    <div className="live-rows">
      <div className="drawer-toolbar">
        <select value={nodeId} onChange={(e) => setChosen(e.target.value)} data-testid="live-rows-node">
          {ids.map((id) => <option key={id}>{id}</option>)}
        </select>
        <span className="muted">{!payload ? 'No rows yet — deploy the pipeline.' : live ? `${payload.total} rows received, newest first` : `${payload.total} rows received in the last run (not running)`}</span>
      </div>
      <table data-testid="live-rows">
        <thead><tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
        <tbody>
          {/* Keyed by arrival number (newest first): a new row is one insert, not a rewrite of every cell. */}
          {rows.slice(0, 100).map((r, i) => <LiveRow key={total - i} row={r} columns={columns} columnsKey={columnsKey} />)}
        </tbody>
      </table>
    </div>
  );
}
