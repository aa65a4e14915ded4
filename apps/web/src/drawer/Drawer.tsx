import { useState } from 'react';
import { useEditor } from '../state/editor-store';
import { LiveRows } from './LiveRows';
import { MetricsTable } from './MetricsTable';
import { Problems } from './Problems';
import { JsonView } from './JsonView';
import { Checkpoints } from './Checkpoints';

const TABS = ['Live rows', 'Metrics', 'Checkpoints', 'Problems', 'JSON'] as const;

/** The bottom drawer: live rows, figures, problems and the document. */
export function Drawer() {
  const [tab, setTab] = useState<(typeof TABS)[number]>('Live rows');
  const problems = useEditor((s) => s.issues.length);
  return (
    <section className="drawer">
      <nav className="tabs">
        {TABS.map((t) => (
          <button key={t} className={t === tab ? 'active' : ''} onClick={() => setTab(t)} data-testid={`tab-${t.toLowerCase().replace(' ', '-')}`}>
            {t}{t === 'Problems' && problems > 0 ? ` (${problems})` : ''}
          </button>
        ))}
      </nav>
      <div className="drawer-body">
        {tab === 'Live rows' && <LiveRows />}
        {tab === 'Metrics' && <MetricsTable />}
        {tab === 'Checkpoints' && <Checkpoints />}
        {tab === 'Problems' && <Problems />}
        {tab === 'JSON' && <JsonView />}
      </div>
    </section>
  );
}
