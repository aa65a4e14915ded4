import { useMemo, useState, type DragEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { CatalogEntry } from '@eddy/shared';
import { addNode, useEditor } from '../state/editor-store';
import { DRAG_MIME } from '../canvas/Canvas';

const firstSentence = (doc: string) => doc.split(/(?<=\.)\s/)[0];

/** Node kinds from GET /api/catalog, grouped by category: drag onto the canvas, or double-click to add. */
export function Palette() {
  const catalog = useEditor((s) => s.catalog);
  const [query, setQuery] = useState('');
  const { screenToFlowPosition } = useReactFlow();
  const groups = useMemo(() => {
    if (!catalog) return [];
    const q = query.trim().toLowerCase();
    const match = (k: CatalogEntry) => !q || `${k.title} ${k.kind} ${k.doc}`.toLowerCase().includes(q);
    return catalog.categories
      .map((c) => ({ ...c, kinds: catalog.kinds.filter((k) => k.category === c.id && match(k)) }))
      .filter((g) => g.kinds.length);
  }, [catalog, query]);

  const onDragStart = (e: DragEvent, kind: string) => {
    e.dataTransfer.setData(DRAG_MIME, kind);
    e.dataTransfer.setData('text/plain', kind);
    e.dataTransfer.effectAllowed = 'copy';
  };

  const addAtCentre = (entry: CatalogEntry) => {
    const canvas = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const at = canvas ? screenToFlowPosition({ x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 }) : { x: 0, y: 0 };
    const editor = useEditor.getState();
    let id = '';
    editor.change((d) => {
      const [next, newId] = addNode(d, entry, { x: at.x - 80 + d.nodes.length * 12, y: at.y - 30 + d.nodes.length * 12 });
      id = newId;
      return next;
    });
    editor.select([id]);
  };

  return (
    <aside className="palette" data-testid="palette">
      <input className="palette-search" placeholder="Search nodes…" value={query} onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search" />
      {!catalog && <div className="muted">Loading the catalog…</div>}
      {groups.map((g) => (
        <section key={g.id}>
          <h3>{g.title}</h3>
          {g.kinds.map((k) => (
            <div key={k.kind} className={`palette-item cat-${k.category}`} draggable data-testid={`palette-${k.kind}`}
              title={firstSentence(k.doc)} onDragStart={(e) => onDragStart(e, k.kind)} onDoubleClick={() => addAtCentre(k)}>
              <span className="palette-title">{k.title}</span>
              <span className="palette-kind">{k.kind}</span>
            </div>
          ))}
        </section>
      ))}
    </aside>
  );
}
