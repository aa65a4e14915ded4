import { useMemo } from 'react';
import { useEditor } from '../state/editor-store';
import { caseSummary, countsLabel, recordedLabel, runSummary, useTests } from './tests-store';
import { recordCase, runTests } from './tests-actions';
import { CaseDiff } from './CaseDiff';

/** The mark of a case's outcome in the last run (none when it did not run). */
const verdictMark = (v: string) => (v === 'passed' ? '✓' : v === 'failed' ? '✗' : '');

/**
 * The drawer's Tests tab: the pipeline's stored regression cases (docs/testing.md), Run tests
 * and Record case against the saved pipeline, and after a run each case's ✓/✗ with the failing
 * sinks' rows.
 */
export function TestsPanel() {
  const tests = useEditor((s) => s.doc.tests);
  const unsaved = useEditor((s) => (!s.pipelineId ? 'Not saved yet' : s.dirty ? 'Unsaved edits' : ''));
  const busy = useTests((s) => s.busy);
  const result = useTests((s) => s.result);
  const picked = useTests((s) => s.picked);
  const cases = useMemo(() => (tests ?? []).map(caseSummary), [tests]);
  const outcome = (name: string) => {
    const c = result?.cases.find((x) => x.name === name);
    return c ? (c.passed ? 'passed' : 'failed') : '';
  };
  const shown = result && picked ? result.cases.find((c) => c.name === picked.caseName) : undefined;
  return (
    <div className="tests-panel" data-testid="tests-panel">
      <div className="drawer-toolbar">
        <button className="primary" onClick={() => void runTests()} disabled={busy !== null || !cases.length} data-testid="tests-run"
          title={cases.length ? 'Replays every stored case on the saved pipeline and compares each sink’s rows' : 'Record a case first'}>
          {busy === 'run' ? 'Running…' : 'Run tests'}
        </button>
        <button onClick={() => void recordCase()} disabled={busy !== null} data-testid="tests-record"
          title="Runs the saved pipeline’s real sources for a few seconds (sinks captured) and stores the result as a case">
          {busy === 'record' ? 'Recording…' : 'Record case'}
        </button>
        {result && <span className={result.cases.every((c) => c.passed) ? 'tests-pass' : 'tests-fail'} data-testid="tests-summary">{runSummary(result)}</span>}
        {result && <button onClick={() => useTests.getState().clear()} data-testid="tests-clear" title="Remove the results from the canvas">Clear results</button>}
        {unsaved && <span className="muted" data-testid="tests-unsaved">{unsaved}: the tests run on the saved pipeline — you will be asked to save first.</span>}
      </div>
      {!cases.length && <p className="muted" data-testid="tests-none">This pipeline has no test case yet. Record one: it keeps what the sources deliver for a few seconds and what each sink receives.</p>}
      {cases.length > 0 && (
        <div className={`tests-body${shown ? ' with-diff' : ''}`}>
          <div className="tests-cases-pane">
            <table className="tests-cases" data-testid="tests-cases">
              <thead><tr><th /><th>Case</th><th>Recorded</th><th>Inputs (rows per source)</th><th>Expected (rows per sink)</th></tr></thead>
              <tbody>
                {cases.map((c) => {
                  const v = outcome(c.name);
                  return (
                    <tr key={c.name} data-testid={`tests-case-${c.name}`} className={`${v}${picked?.caseName === c.name ? ' active' : ''}`}
                      onClick={() => v && useTests.getState().pick({ caseName: c.name, sink: null })}>
                      <td className={`tests-mark ${v}`} data-testid={`tests-verdict-${c.name}`}>{verdictMark(v)}</td>
                      <td>{c.name}</td>
                      <td title={c.recordedAt ?? undefined}>{recordedLabel(c.recordedAt)}</td>
                      <td data-testid={`tests-inputs-${c.name}`}>{countsLabel(c.inputs)}</td>
                      <td data-testid={`tests-expected-${c.name}`}>{countsLabel(c.expected)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {shown && <CaseDiff outcome={shown} sink={picked?.sink ?? null} />}
        </div>
      )}
    </div>
  );
}
