import type { PipelineDocument, PipelineSummary } from '@eddy/shared';
import { ask, confirm } from '../dialogs/dialog-store';
import { checkEnvelope } from '../ui/document-check';
import { api, ApiError } from '../api/client';
import { emptyDocument, useEditor } from '../state/editor-store';
import { notifyError, notifyInfo } from '../state/notice-store';
import { watchPipeline } from './live';
import { parseRoute, showRoute, type HistoryMode } from './route';
import { deploy } from './run';

/** Saves the document: POST the first time, PUT with the revision after (409 when someone saved first). */
export async function save(opts: { overwrite?: boolean } = {}): Promise<boolean> {
  const { doc, pipelineId, revision } = useEditor.getState();
  try {
    const rec = pipelineId
      ? await api.save(pipelineId, doc, opts.overwrite ? (await api.get(pipelineId)).revision : revision!)
      : await api.create(doc);
    useEditor.getState().markSaved(rec.id, rec.revision);
    if (!pipelineId) {
      watchPipeline(rec.id);
      showRoute(rec.id, 'replace'); // the unsaved pipeline's address becomes the stored one's
    }
    notifyInfo(`Saved “${rec.name}” (revision ${rec.revision})`);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'stale_revision') {
      if (await confirm({ title: 'Someone saved first', body: `${err.message}\n\nOverwrite replaces their version with yours; Cancel keeps theirs on the server.`, confirm: 'Overwrite', danger: true })) return save({ overwrite: true });
      return false;
    }
    notifyError(err);
    return false;
  }
}

/**
 * Before unsaved edits would be thrown away (open, import, New, back/forward): save them,
 * discard them, or stay. True when the caller may go on.
 */
export async function confirmLeave(doing: string): Promise<boolean> {
  const { dirty, doc } = useEditor.getState();
  if (!dirty) return true;
  const choice = await ask({
    title: 'Unsaved changes',
    message: `“${doc.name}” has changes that are not saved. ${doing} would throw them away.`,
    choices: [
      { id: 'cancel', label: 'Keep editing' },
      { id: 'discard', label: 'Discard changes', kind: 'danger' },
      { id: 'save', label: 'Save, then continue', kind: 'primary' },
    ],
    cancel: 'cancel',
  });
  if (choice === 'save') return save();
  return choice === 'discard';
}

function show(doc: PipelineDocument, pipelineId: string | null, revision: number | null, history: HistoryMode): void {
  useEditor.getState().load(doc, pipelineId, revision);
  watchPipeline(pipelineId);
  showRoute(pipelineId, history);
}

export async function openPipeline(id: string, opts: { history?: HistoryMode; guard?: boolean } = {}): Promise<boolean> {
  if (opts.guard !== false && !(await confirmLeave('Opening another pipeline'))) return false;
  try {
    const rec = await api.get(id);
    show(rec.document, rec.id, rec.revision, opts.history ?? 'push');
    return true;
  } catch (err) {
    notifyError(err);
    return false;
  }
}

export async function newPipeline(opts: { history?: HistoryMode; guard?: boolean } = {}): Promise<boolean> {
  if (opts.guard !== false && !(await confirmLeave('A new pipeline'))) return false;
  show(emptyDocument(), null, null, opts.history ?? 'push');
  return true;
}

export async function listPipelines(): Promise<PipelineSummary[]> {
  try {
    return await api.list();
  } catch (err) {
    notifyError(err);
    return [];
  }
}

export async function removePipeline(id: string): Promise<void> {
  try {
    await api.remove(id);
    if (useEditor.getState().pipelineId === id) await newPipeline({ guard: false, history: 'replace' });
    notifyInfo('Pipeline deleted');
  } catch (err) {
    notifyError(err);
  }
}

/** Imports a JSON file as a new, unsaved pipeline. A file that is not a pipeline is refused with the reason. */
export async function importFile(file: File): Promise<void> {
  let doc: unknown;
  try {
    doc = JSON.parse(await file.text());
  } catch (err) {
    notifyError(`${file.name} is not JSON: ${(err as Error).message}`);
    return;
  }
  // A document with problems imports (they show on its nodes); one that is not a pipeline at all does not.
  const envelope = checkEnvelope(doc);
  if (!envelope.ok) {
    notifyError(`${file.name} is not an Eddy pipeline: ${envelope.why}`);
    return;
  }
  if (!(await confirmLeave(`Importing ${file.name}`))) return;
  show(envelope.document, null, null, 'push');
  useEditor.setState({ dirty: true });
  notifyInfo(`Imported “${envelope.document.name}” — Save to keep it`);
}

/** Creates a pipeline from a template (the server writes its sample files), opens it, and deploys it if asked. */
export async function createFromTemplate(templateId: string, andDeploy: boolean): Promise<void> {
  if (!(await confirmLeave('Opening a template'))) return;
  try {
    const rec = await api.fromTemplate(templateId);
    show(rec.document, rec.id, rec.revision, 'push');
    notifyInfo(`Created “${rec.name}” from a template`);
    if (andDeploy) await deploy();
  } catch (err) {
    notifyError(err);
  }
}

/** Opens what the address names: `/p/<id>`, `/new`, or at `/` the most recently updated pipeline. */
export async function openFromAddress(history: HistoryMode): Promise<void> {
  const route = parseRoute(window.location.pathname);
  if (route.kind === 'pipeline' && (await openPipeline(route.id, { history, guard: false }))) return;
  if (route.kind === 'new') {
    await newPipeline({ history, guard: false });
    return;
  }
  const pipelines = await api.list();
  if (pipelines.length) await openPipeline(pipelines[0].id, { history: 'replace', guard: false });
  else await newPipeline({ history: 'replace', guard: false });
}

/** Back and forward open the pipeline of the address they reach; unsaved edits are asked about first. */
export function followHistory(): () => void {
  const onPop = () => void (async () => {
    const { pipelineId } = useEditor.getState();
    const route = parseRoute(window.location.pathname);
    if (route.kind === 'pipeline' && route.id === pipelineId) return;
    if (!(await confirmLeave('Going to another pipeline'))) {
      showRoute(pipelineId, 'push'); // stay: the address names what is shown again
      return;
    }
    await openFromAddress('none');
  })();
  window.addEventListener('popstate', onPop);
  return () => window.removeEventListener('popstate', onPop);
}
