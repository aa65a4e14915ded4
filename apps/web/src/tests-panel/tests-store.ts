import { create } from 'zustand';
import { diffDocuments, sameBehaviour, type PipelineDocument, type PipelineTestCase, type TestRunResult } from '@eddy/shared';
import { call } from '../api/client';
import { notifyError } from '../state/notice-store';
import { useEditor } from '../state/editor-store';

/** A stored case in numbers, as the Tests tab lists it. */
export interface CaseSummary { name: string; recordedAt: string | null; inputs: Record<string, number>; expected: Record<string, number> }

/** How one sink came out of the last run, over every case that ran (a sink fails when any case's rows differ there). */
export interface SinkVerdict { passed: boolean; missing: number; unexpected: number; firstFailingCase: string | null }

/** What the tab shows: one case, and within it one sink's diff (a badge click picks both). */
export interface TestsPick { caseName: string; sink: string | null }

const counts = (byId: Record<string, unknown[]>) => Object.fromEntries(Object.entries(byId).map(([id, rows]) => [id, rows.length]));

export const caseSummary = (t: PipelineTestCase): CaseSummary => ({ name: t.name, recordedAt: t.recordedAt ?? null, inputs: counts(t.inputs), expected: counts(t.expected) });

/** `clicks 150 · sessions 3`: ids with their counts, in the order stored. */
export const countsLabel = (byId: Record<string, number>) =>
  Object.entries(byId).map(([id, n]) => `${id} ${n.toLocaleString('en-US')}`).join(' · ') || '—';

/** A recording time for the reader (the stored ISO text when it does not parse). */
export function recordedLabel(iso: string | null): string {
  if (!iso) return 'unknown';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/**
 * Each sink's verdict over the cases that ran: the sinks a case expects rows for (from the
 * document the run was made on) pass unless a diff names them; a diff's sink is always listed.
 */
export function sinkVerdicts(result: TestRunResult, cases: PipelineTestCase[]): Record<string, SinkVerdict> {
  const out: Record<string, SinkVerdict> = {};
  const ran = new Set(result.cases.map((c) => c.name));
  for (const t of cases) if (ran.has(t.name)) for (const sink of Object.keys(t.expected)) out[sink] ??= { passed: true, missing: 0, unexpected: 0, firstFailingCase: null };
  for (const c of result.cases) {
    for (const d of c.diffs) {
      const v = (out[d.sink] ??= { passed: true, missing: 0, unexpected: 0, firstFailingCase: null });
      v.passed = false;
      v.missing += d.missingCount;
      v.unexpected += d.unexpectedCount;
      v.firstFailingCase ??= c.name;
    }
  }
  return out;
}

/** The canvas badge's text: `✓`, or `✗ 3 missing, 2 unexpected` (a zero count left out). */
export function badgeLabel(v: SinkVerdict): string {
  if (v.passed) return '✓';
  const parts = [v.missing && `${v.missing} missing`, v.unexpected && `${v.unexpected} unexpected`].filter(Boolean);
  return `✗ ${parts.join(', ') || 'differs'}`;
}

/** One line on a run: how many cases passed. */
export function runSummary(result: TestRunResult): string {
  const failed = result.cases.filter((c) => !c.passed).length;
  const n = result.cases.length;
  return failed ? `${failed} of ${n} case${n === 1 ? '' : 's'} failed` : `${n === 1 ? 'The case' : `All ${n} cases`} passed`;
}

/** The first failing case, else the first case: what the tab shows after a run. */
export function firstPick(result: TestRunResult): TestsPick | null {
  const c = result.cases.find((x) => !x.passed) ?? result.cases[0];
  return c ? { caseName: c.name, sink: c.diffs[0]?.sink ?? null } : null;
}

/** The case a sink's badge opens: the first one whose rows differ there, else the first that ran. */
export function pickForSink(result: TestRunResult, verdicts: Record<string, SinkVerdict>, sink: string): TestsPick | null {
  const caseName = verdicts[sink]?.firstFailingCase ?? result.cases[0]?.name;
  return caseName ? { caseName, sink } : null;
}

/** The run's results no longer say anything about the canvas: another document, a change to what runs, or to the cases. */
export function isStale(ranOn: PipelineDocument, now: PipelineDocument): boolean {
  if (ranOn === now) return false;
  if (!sameBehaviour(diffDocuments(ranOn, now))) return true;
  return ranOn.tests !== now.tests && JSON.stringify(ranOn.tests ?? []) !== JSON.stringify(now.tests ?? []);
}

interface TestsState {
  busy: 'run' | 'record' | null;
  result: TestRunResult | null;
  /** The document the run was made on (saved, so the server's): the results hold while the canvas still runs the same. */
  ranOn: PipelineDocument | null;
  verdicts: Record<string, SinkVerdict>;
  picked: TestsPick | null;
  /** Runs every stored case of the saved pipeline `pipelineId`, which is the canvas' `doc`. */
  run(pipelineId: string, doc: PipelineDocument): Promise<void>;
  setBusy(busy: TestsState['busy']): void;
  pick(picked: TestsPick): void;
  clear(): void;
}

const cleared = { result: null, ranOn: null, verdicts: {}, picked: null };

/** The last test run of the saved pipeline: ✓/✗ per case, each failing sink's rows, badges on the canvas. */
export const useTests = create<TestsState>((set) => ({
  busy: null,
  ...cleared,
  run: async (pipelineId, doc) => {
    set({ ...cleared, busy: 'run' });
    try {
      const result = await call<TestRunResult>('POST', `/api/pipelines/${encodeURIComponent(pipelineId)}/tests/run`, {});
      const editor = useEditor.getState();
      if (editor.pipelineId !== pipelineId || isStale(doc, editor.doc)) return; // edited or left while it ran
      set({ result, ranOn: doc, verdicts: sinkVerdicts(result, doc.tests ?? []), picked: firstPick(result) });
    } catch (err) {
      notifyError(err);
    } finally {
      set({ busy: null });
    }
  },
  setBusy: (busy) => set({ busy }),
  pick: (picked) => set({ picked }),
  clear: () => set(cleared),
}));

// Like the preview: an edit that changes what runs (or the cases) makes the results stale; opening a document always does.
useEditor.subscribe((now, before) => {
  const { ranOn } = useTests.getState();
  if (!ranOn) return;
  if (now.loads !== before.loads || now.pipelineId !== before.pipelineId || (now.doc !== before.doc && isStale(ranOn, now.doc))) useTests.getState().clear();
});
