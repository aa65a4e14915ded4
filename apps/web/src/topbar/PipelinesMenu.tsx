import { useCallback, useEffect, useRef, useState } from 'react';
import type { PipelineSummary } from '@eddy/shared';
import { listPipelines, newPipeline, openPipeline, removePipeline } from '../actions';
import { useEditor } from '../state/editor-store';
import { useEscape } from '../ui/use-escape';
import { Icon } from '../ui/Icon';
import { ago } from '../ui/format';
import { confirm } from '../dialogs/dialog-store';

/** List, open and delete stored pipelines; start a new one. Namesakes differ by id, state and last update. */
export function PipelinesMenu() {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<PipelineSummary[]>([]);
  const current = useEditor((s) => s.pipelineId);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useEscape(open, close);
  useEffect(() => {
    if (!open) return;
    void listPipelines().then(setItems);
    const onDown = (e: MouseEvent) => { if (!ref.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const remove = async (p: PipelineSummary) => {
    setOpen(false);
    const ok = await confirm({ title: `Delete “${p.name}”?`, body: `Pipeline ${p.id}, its revisions and checkpoints are removed for good.`, confirm: 'Delete', danger: true });
    if (ok) await removePipeline(p.id);
  };
  return (
    <div className="menu" ref={ref}>
      <button data-testid="pipelines-menu" onClick={() => setOpen(!open)} aria-expanded={open}>Pipelines ▾</button>
      {open && (
        <div className="menu-panel pipelines" data-testid="pipelines-list" role="menu">
          <button className="menu-item new" data-testid="new-pipeline" onClick={() => { void newPipeline(); setOpen(false); }}>+ New pipeline</button>
          {items.map((p) => (
            <div key={p.id} className={`menu-item pipeline-item${p.id === current ? ' current' : ''}`} data-testid={`pipeline-item-${p.id}`}>
              <button className="pipeline-open" data-testid={`open-pipeline-${p.id}`} onClick={() => { void openPipeline(p.id); setOpen(false); }}>
                <span className="pipeline-title">{p.name}</span>
                <span className="pipeline-meta">
                  <code>{p.id}</code> · rev {p.revision} · <span data-testid="pipeline-updated" title={`Updated ${p.updatedAt}`}>{ago(p.updatedAt)}</span>
                </span>
              </button>
              <span className={`badge state-${p.state}`}>{p.state}</span>
              <button className="icon" title="Delete" aria-label={`Delete ${p.name}`} data-testid={`delete-pipeline-${p.id}`} onClick={() => void remove(p)}>
                <Icon name="trash" />
              </button>
            </div>
          ))}
          {!items.length && <div className="muted menu-item">No saved pipelines yet</div>}
        </div>
      )}
    </div>
  );
}
