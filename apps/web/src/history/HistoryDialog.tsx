import { useCallback, useEffect, useMemo } from 'react';
import { DiffEditor } from '@monaco-editor/react';
import { monaco } from '../monaco/setup';
import { canonicalJson, diffDocuments, summarizeDiff } from '@eddy/shared';
import { useEditor } from '../state/editor-store';
import { save } from '../actions';
import { confirm } from '../dialogs/dialog-store';
import { useEscape } from '../ui/use-escape';
import { localTime } from '../ui/format';
import { DiffCanvas } from './DiffCanvas';
import { useHistory } from './history-store';

/** Restores a revision: its document becomes the editor's (one undo step) and is saved as a new revision. */
async function restore(revision: number): Promise<void> {
  const doc = useHistory.getState().docs[revision]?.document;
  if (!doc) return;
  const dirty = useEditor.getState().dirty;
  const ok = await confirm({ title: `Restore revision ${revision}?`, confirm: 'Restore',
    body: `It is saved as a new revision; the current one stays in the history.${dirty ? '\nUnsaved edits on the canvas are replaced (Undo brings them back).' : ''}` });
  if (!ok) return;
  useEditor.getState().change(() => structuredClone(doc));
  if (await save()) await useHistory.getState().show(useEditor.getState().pipelineId!);
}

/** The History panel: saved revisions with what changed, any two compared on the canvas or as JSON, and restore. */
export function HistoryDialog() {
  const { open, revisions, a, b, docs, view } = useHistory();
  const close = useCallback(() => useHistory.getState().close(), []);
  useEscape(open, close);
  // The diff editor keeps its models (disposing them under a live widget throws): drop them once it is gone.
  useEffect(() => {
    if (open) return;
    const t = setTimeout(() => monaco.editor.getModels().filter((m) => m.uri.toString().startsWith('inmemory://rev-')).forEach((m) => m.dispose()), 0);
    return () => clearTimeout(t);
  }, [open]);
  const left = a !== null ? docs[a]?.document : undefined;
  const right = b !== null ? docs[b]?.document : undefined;
  const diff = useMemo(() => (left && right ? diffDocuments(left, right) : null), [left, right]);
  if (!open) return null;
  const { pick, setView } = useHistory.getState();
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="history-title" data-testid="history-dialog" onClick={close}>
      <div className="modal history" onClick={(e) => e.stopPropagation()}>
        <div className="history-head">
          <h2 id="history-title">History</h2>
          <div className="spacer" />
          <div className="segmented">
            <button className={view === 'canvas' ? 'active' : ''} onClick={() => setView('canvas')} data-testid="history-view-canvas">Canvas</button>
            <button className={view === 'json' ? 'active' : ''} onClick={() => setView('json')} data-testid="history-view-json">JSON</button>
          </div>
          <button onClick={close} data-testid="history-close">Close</button>
        </div>
        <div className="history-body">
          <table className="history-list" data-testid="history-list">
            <thead><tr><th title="Older side">A</th><th title="Newer side">B</th><th>Rev</th><th>Saved</th><th>What changed</th><th /></tr></thead>
            <tbody>
              {revisions.map((r, i) => (
                <tr key={r.revision} data-testid={`revision-${r.revision}`} className={r.revision === a || r.revision === b ? 'picked' : ''}>
                  <td><input type="radio" name="rev-a" checked={a === r.revision} onChange={() => void pick('a', r.revision)} aria-label={`Compare from revision ${r.revision}`} data-testid={`pick-a-${r.revision}`} /></td>
                  <td><input type="radio" name="rev-b" checked={b === r.revision} onChange={() => void pick('b', r.revision)} aria-label={`Compare to revision ${r.revision}`} data-testid={`pick-b-${r.revision}`} /></td>
                  <td>{r.revision}</td>
                  <td className="nowrap" title={r.savedAt}>{localTime(Date.parse(r.savedAt))}</td>
                  <td className="history-summary">{r.summary}</td>
                  <td>{i > 0 && <button onClick={() => { void pick('a', r.revision).then(() => restore(r.revision)); }} data-testid={`restore-revision-${r.revision}`}>Restore</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="history-diff">
            {diff && <div className="history-diff-summary" data-testid="history-diff-summary">{a} → {b}: {summarizeDiff(diff)}</div>}
            {left && right && diff && view === 'canvas' && (
              <div className="diff-panes">
                <DiffCanvas doc={left} diff={diff} side="a" />
                <DiffCanvas doc={right} diff={diff} side="b" />
              </div>
            )}
            {left && right && view === 'json' && (
              <div className="diff-json" data-testid="history-json-diff">
                <DiffEditor original={canonicalJson(left)} modified={canonicalJson(right)} language="json" height="100%"
                  originalModelPath={`inmemory://rev-${a}.json`} modifiedModelPath={`inmemory://rev-${b}.json`}
                  keepCurrentOriginalModel keepCurrentModifiedModel
                  options={{ readOnly: true, renderSideBySide: true, useInlineViewWhenSpaceIsLimited: false, minimap: { enabled: false }, fontSize: 12, automaticLayout: true, scrollBeyondLastLine: false }} />
              </div>
            )}
            {!revisions.length && <p className="muted">Loading revisions…</p>}
          </div>
        </div>
      </div>
    </div>
  );
}
