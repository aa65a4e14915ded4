import { edgeKey, useEditor } from '../state/editor-store';
import { RecordsTable } from '../ui/RecordsTable';
import { pickedRecords, rowsLabel, usePreviewRun } from './preview-run-store';

/** What the drawer's Preview tab shows of the last preview run: the selected edge (`edge:<key>`) or sink (`sink:<id>`), if the run saw it. */
export function usePreviewRunTarget(): string | null {
  const selected = useEditor((s) => {
    const e = s.doc.edges.find((x) => s.selection.includes(edgeKey(x)));
    return e ? `edge:${edgeKey(e)}` : s.selection.length === 1 ? `sink:${s.selection[0]}` : '';
  });
  return usePreviewRun((s) => {
    if (!s.result || !selected) return null;
    const seen = selected.startsWith('edge:') ? s.byEdge[selected.slice(5)] : s.result.sinks[selected.slice(5)];
    return seen ? selected : null;
  });
}

/** The preview run's rows for one edge or sink, formatted like the live rows. */
export function PreviewRunRows({ target }: { target: string }) {
  const result = usePreviewRun((s) => s.result);
  const byEdge = usePreviewRun((s) => s.byEdge);
  if (!result) return null;
  const sink = target.startsWith('sink:');
  const id = target.slice(5);
  const count = sink ? result.sinks[id]?.count ?? 0 : byEdge[id]?.count ?? 0;
  const rows = pickedRecords(result, byEdge, target);
  const edge = byEdge[id];
  const label = sink || !edge ? `sink ${id}` : `${edge.from}${edge.fromPort !== 'out' ? `.${edge.fromPort}` : ''} → ${edge.to}`;
  return (
    <div className="preview-run-drawer" data-testid="preview-run-drawer">
      <div className="drawer-toolbar">
        <strong>Preview run · <span data-testid="preview-run-target">{label}</span></strong>
        <span className="muted" data-testid="preview-run-count">
          {sink ? `would receive ${rowsLabel(count)}` : `carried ${rowsLabel(count)}`}{rows.length < count ? `, the first ${rows.length} shown` : ''} · nothing was deployed or written
        </span>
        <button onClick={() => usePreviewRun.getState().clear()} title="Remove the preview from the canvas">Clear preview</button>
      </div>
      {rows.length ? <RecordsTable rows={rows} testId="preview-run-drawer-rows" /> : <p className="muted">No records.</p>}
    </div>
  );
}
