import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { DRAWER_TABS, tabTestId, useUi } from '../state/ui-store';
import { LiveRows } from './LiveRows';
import { MetricsTable } from './MetricsTable';
import { Problems } from './Problems';
import { CodeView } from './CodeView';
import { FlinkSqlView } from './FlinkSqlView';
import { Checkpoints } from './Checkpoints';
import { Dashboard } from './Dashboard';
import { Preview } from './Preview';
import { Watermarks } from './Watermarks';
import { StateBrowser } from './StateBrowser';
import { DeadLetters } from './DeadLetters';
import { DrawerResizer } from './DrawerResizer';

/** The bottom drawer: live rows, charts, figures, edge preview, watermarks, state, checkpoints, dead letters, problems, code, Flink SQL. */
export function Drawer() {
  const tab = useUi((s) => s.tab);
  const problems = useEditor((s) => s.issues.length);
  const deadLetters = useLive((s) => s.metrics?.deadLetters ?? 0);
  const count = (t: string) => (t === 'Problems' && problems > 0 ? ` (${problems})` : t === 'Dead letters' && deadLetters > 0 ? ` (${deadLetters})` : '');
  return (
    <section className="drawer" data-testid="drawer">
      <DrawerResizer />
      <nav className="tabs">
        {DRAWER_TABS.map((t) => (
          <button key={t} className={t === tab ? 'active' : ''} onClick={() => useUi.getState().setTab(t)} data-testid={tabTestId(t)}>
            {t}{count(t)}
          </button>
        ))}
      </nav>
      <div className="drawer-body">
        {tab === 'Live rows' && <LiveRows />}
        {tab === 'Dashboard' && <Dashboard />}
        {tab === 'Metrics' && <MetricsTable />}
        {tab === 'Preview' && <Preview />}
        {tab === 'Watermarks' && <Watermarks />}
        {tab === 'State' && <StateBrowser />}
        {tab === 'Checkpoints' && <Checkpoints />}
        {tab === 'Dead letters' && <DeadLetters />}
        {tab === 'Problems' && <Problems />}
        {tab === 'Code' && <CodeView />}
        {tab === 'Flink SQL' && <FlinkSqlView />}
      </div>
    </section>
  );
}
