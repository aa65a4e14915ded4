import { useRef } from 'react';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { deploy, exportJson, importFile, save, savepoint, stop } from '../actions';
import { PipelinesMenu } from './PipelinesMenu';
import { DeployMenu } from './DeployMenu';
import { DeployDrift } from './DeployDrift';
import { Icon, type IconName } from '../ui/Icon';

/** An icon with its label; below 1280 px the label hides (the button's title still names it). */
function Labelled({ icon, children }: { icon: IconName; children: string }) {
  return <><Icon name={icon} /><span className="wide-label"> {children}</span></>;
}
import { useUi } from '../state/ui-store';
import { autoLayout } from '../canvas/layout';
import { useHistory } from '../history/history-store';
import { usePreviewRun } from '../preview/preview-run-store';

export function TopBar() {
  const name = useEditor((s) => s.doc.name);
  const dirty = useEditor((s) => s.dirty);
  const problems = useEditor((s) => s.issues.length);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const state = useLive((s) => s.status?.state ?? 'stopped');
  const error = useLive((s) => s.status?.error);
  const flink = useLive((s) => (s.status?.target === 'flink' ? s.status.flink : undefined));
  const pipelineId = useEditor((s) => s.pipelineId);
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <header className="topbar">
      <span className="logo" title="Eddy">◐<span className="logo-text"> Eddy</span></span>
      <PipelinesMenu />
      <input className="pipeline-name" data-testid="pipeline-name" value={name} aria-label="Pipeline name"
        onChange={(e) => useEditor.getState().change((d) => ({ ...d, name: e.target.value }), 'name')} />
      {dirty && <span className="muted" title="Unsaved changes">●</span>}
      <DeployDrift />
      <div className="spacer" />
      <button onClick={() => useEditor.getState().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="undo">↶</button>
      <button onClick={() => useEditor.getState().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" data-testid="redo">↷</button>
      <button onClick={() => useUi.getState().setTemplatesOpen(true)} data-testid="templates" title="Templates"><Labelled icon="templates">Templates</Labelled></button>
      <button onClick={() => void autoLayout()} data-testid="auto-layout" title="Arrange the nodes left to right (Ctrl+L)"><Labelled icon="layout">Layout</Labelled></button>
      <button onClick={() => fileInput.current?.click()} data-testid="import" title="Import a pipeline JSON file"><Labelled icon="upload">Import</Labelled></button>
      <input ref={fileInput} type="file" accept=".json,application/json" hidden data-testid="import-file"
        onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} />
      <button onClick={exportJson} data-testid="export" title="Export as canonical JSON"><Labelled icon="download">Export</Labelled></button>
      <button onClick={() => void save()} data-testid="save">Save</button>
      <button onClick={() => pipelineId && void useHistory.getState().show(pipelineId)} disabled={!pipelineId} data-testid="history"
        title={pipelineId ? 'Saved revisions: what changed, compare any two, restore' : 'Save first: each save keeps a revision'}><Labelled icon="history">History</Labelled></button>
      <button onClick={() => void usePreviewRun.getState().run(useEditor.getState().doc)} disabled={problems > 0} data-testid="preview-run"
        title={problems ? `Fix ${problems} problems first` : 'Run a few seconds on a sample of the sources, sinks captured: nothing is deployed or written'}><Labelled icon="play">Preview run</Labelled></button>
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
