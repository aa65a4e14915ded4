import { useEffect, useRef, useState } from 'react';
import type { PipelineSummary } from '@eddy/shared';
import { listPipelines, newPipeline, openPipeline, removePipeline } from '../actions';
import { useEditor } from '../state/editor-store';

/** List, open and delete stored pipelines; start a new one. */
export function PipelinesMenu() {
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<PipelineSummary[]>([]);
  const current = useEditor((s) => s.pipelineId);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    void listPipelines().then(setItems);
    const close = (e: MouseEvent) => { if (!ref.current?.contains(e.target as Node)) setOpen(false); };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button data-testid="pipelines-menu" onClick={() => setOpen(!open)}>Pipelines ▾</button>
      {open && (
        <div className="menu-panel" data-testid="pipelines-list">
          <button className="menu-item" data-testid="new-pipeline" onClick={() => { void newPipeline(); setOpen(false); }}>+ New pipeline</button>
          {items.map((p) => (
            <div key={p.id} className={`menu-item pipeline-item${p.id === current ? ' current' : ''}`} data-testid={`pipeline-item-${p.id}`}>
              <button className="link" onClick={() => { void openPipeline(p.id); setOpen(false); }}>{p.name}</button>
              <span className={`badge state-${p.state}`}>{p.state}</span>
              <button className="icon" title="Delete" data-testid={`delete-pipeline-${p.id}`}
                onClick={async () => {
                  if (!window.confirm(`Delete “${p.name}”?`)) return;
                  await removePipeline(p.id);
                  setItems(await listPipelines());
                }}>🗑</button>
            </div>
          ))}
          {!items.length && <div className="muted menu-item">No saved pipelines yet</div>}
        </div>
      )}
    </div>
  );
}
