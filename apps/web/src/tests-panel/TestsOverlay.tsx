import { ViewportPortal, useInternalNode } from '@xyflow/react';
import { badgeLabel, useTests, type SinkVerdict } from './tests-store';
import { showSinkDiff } from './tests-actions';

/** Above a sink node: ✓, or ✗ with its missing and unexpected row counts; a click opens its diff in the Tests tab. */
function SinkBadge({ id, verdict }: { id: string; verdict: SinkVerdict }) {
  const node = useInternalNode(id);
  if (!node) return null;
  const { x, y } = node.internals.positionAbsolute;
  const width = node.measured.width ?? 0;
  return (
    <button className={`tests-badge nodrag nopan ${verdict.passed ? 'passed' : 'failed'}`} data-testid={`tests-badge-${id}`} onClick={() => showSinkDiff(id)}
      style={{ transform: `translate(-50%, -100%) translate(${x + width / 2}px, ${y - 6}px)` }}
      title={verdict.passed ? 'Received the expected rows in every test case: click for the run' : 'Its rows differ from the test case: click for the rows'}>
      {badgeLabel(verdict)}
    </button>
  );
}

/** The last test run on the canvas: a badge on every sink a case checked (the node components stay as they are). */
export function TestsOverlay() {
  const verdicts = useTests((s) => s.verdicts);
  const entries = Object.entries(verdicts);
  if (!entries.length) return null;
  return (
    <ViewportPortal>
      {entries.map(([id, v]) => <SinkBadge key={id} id={id} verdict={v} />)}
    </ViewportPortal>
  );
}
