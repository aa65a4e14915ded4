import { useRef } from 'react';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { deploy, exportJson, importFile, save, savepoint, stop } from '../actions';
import { PipelinesMenu } from './PipelinesMenu';
import { DeployMenu } from './DeployMenu';
import { useUi } from '../state/ui-store';
import { autoLayout } from '../canvas/layout';

export function TopBar() {
  const name = useEditor((s) => s.doc.name);
  const dirty = useEditor((s) => s.dirty);
  const problems = useEditor((s) => s.issues.length);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const state = useLive((s) => s.status?.state ?? 'stopped');
  const error = useLive((s) => s.status?.error);
  const flink = useLive((s) => (s.status?.target === 'flink' ? s.status.flink : undefined));
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <header className="topbar">
      <span className="logo">◐ Eddy</span>
      <PipelinesMenu />
      <input className="pipeline-name" data-testid="pipeline-name" value={name} aria-label="Pipeline name"
        onChange={(e) => useEditor.getState().change((d) => ({ ...d, name: e.target.value }), 'name')} />
      {dirty && <span className="muted" title="Unsaved changes">●</span>}
      <div className="spacer" />
      <button onClick={() => useEditor.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="undo">↶</button>
      <button onClick={() => useEditor.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">↷</button>
      <button onClick={() => useUi.getState().setTemplatesOpen(true)} data-testid="templates">Templates</button>
      <button onClick={() => void autoLayout()} data-testid="auto-layout" title="Arrange the nodes left to right (Ctrl+L)">Layout</button>
      <button onClick={() => fileInput.current?.click()} data-testid="import">Import</button>
      <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="import-file"
        onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
      <button onClick={exportJson} data-testid="export">Export</button>
      <button onClick={() => void save()} data-testid="save">Save</button>
      {state === 'running' && !flink && <button onClick={() => void deploy()} data-testid="redeploy" title="Deploy the edited pipeline: unchanged nodes keep their state">Redeploy</button>}
      {state === 'running' && !flink && <button onClick={() => void savepoint()} data-testid="savepoint" title="Stop with a savepoint; the next deploy resumes from it">Savepoint</button>}
      {state === 'running' || state === 'restarting'
        ? <button className="danger" onClick={() => void stop()} data-testid="stop"
          title={flink ? 'Stop the Flink job with a savepoint' : state === 'restarting' ? 'Cancel the restart' : undefined}>Stop</button>
        : <DeployMenu problems={problems} />}
      <span className={`badge state-${state}`} data-testid="status-badge" title={error ?? undefined}>{state}</span>
      {flink && (
        <span className="flink-job" data-testid="flink-job">
          on Flink{' '}
          <a href={flink.webUrl} target="_blank" rel="noreferrer" data-testid="flink-job-link" title={`Flink job ${flink.jobId} (${flink.state}) in Flink's Web UI`}>
            job {flink.jobId.slice(0, 8)}… ↗
          </a>
          {flink.savepoint && <span className="muted" data-testid="flink-savepoint" title={flink.savepoint}> · savepoint {flink.savepoint.replace(/^.*\//, '')}</span>}
        </span>
      )}
    </header>
  );
}
