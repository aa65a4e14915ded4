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
import { TestsPanel } from '../tests-panel/TestsPanel';
import { useTests } from '../tests-panel/tests-store';

/** The bottom drawer: live rows, charts, figures, edge preview, regression tests, watermarks, state, checkpoints, dead letters, problems, code, Flink SQL. */
export function Drawer() {
  const tab = useUi((s) => s.tab);
  const problems = useEditor((s) => s.issues.length);
  const deadLetters = useLive((s) => s.metrics?.deadLetters ?? 0);
  const failedCases = useTests((s) => s.result?.cases.filter((c) => !c.passed).length ?? 0);
  const count = (t: string) => (t === 'Problems' && problems > 0 ? ` (${problems})` : t === 'Dead letters' && deadLetters > 0 ? ` (${deadLetters})`
    : t === 'Tests' && failedCases > 0 ? ` (✗ ${failedCases})` : '');
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
        {tab === 'Tests' && <TestsPanel />}
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
