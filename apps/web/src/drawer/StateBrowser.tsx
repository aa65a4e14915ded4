import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { formatKey } from '../ui/format';

interface NodeStateView { nodeId: string; keys: number; bytes: number; entries: [string, string, unknown][] }

/** The state browser: pick a stateful node, search its keys, see a key's value. */
export function StateBrowser() {
  const pipelineId = useEditor((s) => s.pipelineId);
  // Stateful kinds say so in the catalog.
  const stateful = useEditor((s) => s.doc.nodes.filter((n) => s.kinds[n.kind]?.stateful).map((n) => n.id).join(','));
  const statefulKinds = useEditor((s) => Object.values(s.kinds).filter((k) => k.stateful).map((k) => k.kind).join(', '));
  const running = useLive((s) => s.status?.state === 'running');
  const [node, setNode] = useState('');
  const [search, setSearch] = useState('');
  const [view, setView] = useState<NodeStateView | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [error, setError] = useState('');
  const nodes = stateful ? stateful.split(',') : [];
  const current = node || nodes[0] || '';
  useEffect(() => {
    if (!pipelineId || !current || !running) return;
    let stop = false;
    const load = async () => {
      try {
        const q = new URLSearchParams({ limit: '200', ...(search && { key: search }) });
        const v = await api.nodeState(pipelineId, current, q.toString());
        if (!stop) { setView(v); setError(''); }
      } catch (err) {
        if (!stop) setError((err as Error).message);
      }
    };
    void load();
    const t = setInterval(load, 2000);
    return () => { stop = true; clearInterval(t); };
  }, [pipelineId, current, search, running]);
  if (!nodes.length) return <p className="muted">This pipeline has no stateful node ({statefulKinds}).</p>;
  return (
    <div className="state-browser" data-testid="state-browser">
      <div className="drawer-toolbar">
        <select value={current} onChange={(e) => { setNode(e.target.value); setPicked(null); }} data-testid="state-node">
          {nodes.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
        <input placeholder="Search keys…" value={search} onChange={(e) => { setSearch(e.target.value); setPicked(null); }} data-testid="state-search" />
        {view && <span className="muted" data-testid="state-count">{view.keys.toLocaleString()} keys · {(view.bytes / 1024).toFixed(1)} KB</span>}
        {!running && <span className="muted">State lives in a running deployment: deploy to browse it.</span>}
        {error && <span className="errors">{error}</span>}
      </div>
      <div className="preview-body">
        <ul className="preview-list" data-testid="state-keys">
          {view?.entries.map(([name, key], i) => (
            <li key={i} className={picked === i ? 'active' : ''} onClick={() => setPicked(i)}><span className="muted">{name}</span> <span title={key}>{formatKey(key)}</span></li>
          ))}
        </ul>
        {picked !== null && view?.entries[picked] && <pre className="preview-json" data-testid="state-value">{JSON.stringify(view.entries[picked][2], null, 2)}</pre>}
      </div>
    </div>
  );
}
