import type { TestRecordResult } from '@eddy/shared';
import { openPipeline, save } from '../actions';
import { call } from '../api/client';
import { ask, prompt } from '../dialogs/dialog-store';
import { useEditor } from '../state/editor-store';
import { notifyError, notifyInfo } from '../state/notice-store';
import { useUi } from '../state/ui-store';
import { countsLabel, pickForSink, useTests } from './tests-store';

/**
 * The test API works on the saved pipeline: with unsaved edits (or never saved) say so and
 * offer the app's Save first. True when the canvas is the saved pipeline.
 */
export async function ensureSaved(doing: string): Promise<boolean> {
  const { dirty, pipelineId, doc } = useEditor.getState();
  if (pipelineId && !dirty) return true;
  const choice = await ask({
    title: 'Save first',
    message: pipelineId
      ? `“${doc.name}” has edits that are not saved. ${doing} uses the saved pipeline, so save the edits first.`
      : `“${doc.name}” is not saved yet. ${doing} needs the pipeline saved.`,
    choices: [{ id: 'cancel', label: 'Cancel' }, { id: 'save', label: 'Save, then continue', kind: 'primary' }],
    cancel: 'cancel', focus: 'save', testId: 'save-first',
  });
  return choice === 'save' && (await save());
}

/** Runs every stored case of the saved pipeline (saving first if asked). */
export async function runTests(): Promise<void> {
  if (!(await ensureSaved('Running the tests'))) return;
  const { pipelineId, doc } = useEditor.getState();
  if (pipelineId) await useTests.getState().run(pipelineId, doc);
}

/** Why a case name is refused (the server takes 1 to 200 characters), or null. */
export const checkCaseName = (v: string) => (!v.trim() ? 'Give the case a name' : v.length > 200 ? 'At most 200 characters' : null);

/** Why a recording time is refused (the server takes 0.5 to 60 seconds), or null. */
export function checkSeconds(v: string): string | null {
  const n = Number(v);
  return v.trim() && Number.isFinite(n) && n >= 0.5 && n <= 60 ? null : 'A number of seconds from 0.5 to 60';
}

/** A name not yet taken by the document's cases: `recorded`, `recorded-2`, … */
export function freeCaseName(taken: string[], base = 'recorded'): string {
  if (!taken.includes(base)) return base;
  let i = 2;
  while (taken.includes(`${base}-${i}`)) i++;
  return `${base}-${i}`;
}

/**
 * Records a case from the saved pipeline's real sources (sinks captured, nothing written), which the
 * server stores as a new revision; the canvas then loads that revision as opening a pipeline does.
 */
export async function recordCase(): Promise<void> {
  if (!(await ensureSaved('Recording a case'))) return;
  const taken = (useEditor.getState().doc.tests ?? []).map((t) => t.name);
  const name = await prompt({
    title: 'Record a test case',
    message: 'Runs the saved pipeline’s real sources for a few seconds with every sink captured (nothing is written), and stores what the sinks receive as the expected rows. A case of the same name is replaced.',
    label: 'Case name', value: freeCaseName(taken), ok: 'Next', check: checkCaseName,
  });
  if (name === null) return;
  const seconds = await prompt({ title: `Record “${name.trim()}”`, label: 'Seconds to record (bounded sources may end sooner)', value: '10', ok: 'Record', check: checkSeconds });
  if (seconds === null) return;
  const pipelineId = useEditor.getState().pipelineId!;
  useTests.getState().setBusy('record');
  try {
    const r = await call<TestRecordResult>('POST', `/api/pipelines/${encodeURIComponent(pipelineId)}/tests/record`, { name: name.trim(), seconds: Number(seconds) });
    // Edits made while it recorded are asked about (save, discard, keep) before the new revision replaces them.
    if (useEditor.getState().pipelineId === pipelineId) await openPipeline(pipelineId, { history: 'none' });
    notifyInfo(`Recorded “${r.name}” (revision ${r.revision}): in ${countsLabel(r.inputs)}; expected ${countsLabel(r.expected)}`);
    for (const w of r.warnings) notifyInfo(w);
  } catch (err) {
    notifyError(err);
  } finally {
    useTests.getState().setBusy(null);
  }
}

/** A sink badge's click: the Tests tab at that sink's diff (the sink selected on the canvas). */
export function showSinkDiff(sink: string): void {
  const { result, verdicts } = useTests.getState();
  const picked = result && pickForSink(result, verdicts, sink);
  if (picked) useTests.getState().pick(picked);
  useEditor.getState().select([sink]);
  useUi.getState().setTab('Tests');
}
