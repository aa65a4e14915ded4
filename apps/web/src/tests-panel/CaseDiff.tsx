import { useEffect, useRef } from 'react';
import type { TestRunResult } from '@eddy/shared';
import { RecordsTable } from '../ui/RecordsTable';
import { rowsLabel } from '../preview/preview-run-store';

type CaseOutcome = TestRunResult['cases'][number];

/** How many of `count` rows the server sent (it sends the first few of each side). */
const shownLabel = (shown: number, count: number) => (shown < count ? `, the first ${shown} shown` : '');

/** One case's outcome: ✓, or per differing sink the missing (−) and unexpected (+) rows; the picked sink scrolled into view. */
export function CaseDiff({ outcome, sink }: { outcome: CaseOutcome; sink: string | null }) {
  const pickedRef = useRef<HTMLDivElement>(null);
  useEffect(() => { pickedRef.current?.scrollIntoView?.({ block: 'nearest' }); }, [outcome, sink]);
  return (
    <div className="tests-diff" data-testid={`tests-diff-${outcome.name}`}>
      <h3>
        <span className={outcome.passed ? 'tests-pass' : 'tests-fail'}>{outcome.passed ? '✓' : '✗'} {outcome.name}</span>
        <span className="muted"> · the sinks received {rowsLabel(outcome.rows)}{outcome.passed ? ', as expected' : ''}</span>
      </h3>
      {outcome.diffs.map((d) => (
        <div key={d.sink} ref={d.sink === sink ? pickedRef : undefined} className={`tests-sink${d.sink === sink ? ' active' : ''}`} data-testid={`tests-sink-diff-${d.sink}`}>
          <strong>sink {d.sink}</strong>
          <span className="muted"> · {d.missingCount} row(s) missing, {d.unexpectedCount} not expected</span>
          {d.missingCount > 0 && (
            <>
              <div className="tests-side missing">− missing: expected, not received ({d.missingCount}{shownLabel(d.missing.length, d.missingCount)})</div>
              <RecordsTable rows={d.missing} testId={`tests-missing-${d.sink}`} />
            </>
          )}
          {d.unexpectedCount > 0 && (
            <>
              <div className="tests-side unexpected">+ unexpected: received, not expected ({d.unexpectedCount}{shownLabel(d.unexpected.length, d.unexpectedCount)})</div>
              <RecordsTable rows={d.unexpected} testId={`tests-unexpected-${d.sink}`} />
            </>
          )}
        </div>
      ))}
    </div>
  );
}
