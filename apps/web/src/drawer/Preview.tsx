import { useEffect, useState } from 'react';
import { watchEdge } from '../actions';
import { edgeKey, useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { useSamples } from '../state/samples-store';
import { PreviewRunRows, usePreviewRunTarget } from '../preview/PreviewRunRows';

/** The edge selected on the canvas, as `<from>:<port>` (what the server samples); a string so zustand compares by value. */
function useSelectedEdge(): { key: string; label: string } | null {
  const picked = useEditor((s) => {
    const e = s.doc.edges.find((x) => s.selection.includes(edgeKey(x)));
    return e ? `${e.from}:${e.fromPort ?? 'out'}|${e.from}${e.fromPort && e.fromPort !== 'out' ? `.${e.fromPort}` : ''} → ${e.to}` : '';
  });
  if (!picked) return null;
  const [key, label] = picked.split('|');
  return { key, label };
}

/** Data preview: the last preview run's rows for the selected edge or sink, and live sample records while deployed. */
export function Preview() {
  const previewed = usePreviewRunTarget();
  const running = useLive((s) => s.status?.state === 'running');
  return (
    <>
      {previewed && <PreviewRunRows target={previewed} />}
      {(!previewed || running) && <LiveSamples />}
    </>
  );
}

/** Live sample records on the selected edge; pause and inspect one as JSON. */
function LiveSamples() {
  const edge = useSelectedEdge();
  const running = useLive((s) => s.status?.state === 'running');
  const records = useSamples((s) => (edge ? s.byEdge[edge.key]?.records : undefined));
  const paused = useSamples((s) => s.paused);
  const [inspect, setInspect] = useState<number | null>(null);
  useEffect(() => {
    if (!edge || !running) return;
    useSamples.getState().setWatching([edge.key]);
    watchEdge(edge.key, true);
    return () => { watchEdge(edge.key, false); useSamples.getState().setWatching([]); };
  }, [edge?.key, running]);
  if (!edge) return <p className="muted">Click an edge on the canvas to see the records flowing on it.</p>;
  return (
    <div className="preview" data-testid="preview">
      <div className="drawer-toolbar">
        <strong data-testid="preview-edge">{edge.label}</strong>
        {!running && <span className="muted">Deploy the pipeline to see records.</span>}
        <button onClick={() => useSamples.getState().setPaused(!paused)} data-testid="preview-pause">{paused ? 'Resume' : 'Pause'}</button>
        <span className="muted">{records?.length ?? 0} records (newest first)</span>
      </div>
      <div className="preview-body">
        <ul className="preview-list" data-testid="preview-records">
          {(records ?? []).map((r, i) => (
            <li key={i} className={inspect === i ? 'active' : ''} onClick={() => setInspect(i)}>{JSON.stringify(r).slice(0, 160)}</li>
          ))}
        </ul>
        {inspect !== null && records?.[inspect] && <pre className="preview-json" data-testid="preview-json">{JSON.stringify(records[inspect], null, 2)}</pre>}
      </div>
    </div>
  );
}
