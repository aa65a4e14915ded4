import { canonicalJson, validatePipeline, type PipelineDocument, type PipelineSummary } from '@eddy/shared';
import { api, ApiError } from '../api/client';
import { watchPipeline } from '../api/live-socket';
import { emptyDocument, useEditor } from './editor-store';
import { useLive } from './live-store';
import { notifyError, notifyInfo } from './notice-store';
import { needsConfirmation, usePlan } from './plan-store';
import { confirmDialog } from '../ui/confirm-store';
import { checkEnvelope } from '../ui/document-check';

/** Saves the document: POST the first time, PUT with the revision after (409 when someone saved first). */
export async function save(opts: { overwrite?: boolean } = {}): Promise<boolean> {
  const { doc, pipelineId, revision } = useEditor.getState();
  try {
    const rec = pipelineId
      ? await api.save(pipelineId, doc, opts.overwrite ? (await api.get(pipelineId)).revision : revision!)
      : await api.create(doc);
    useEditor.getState().markSaved(rec.id, rec.revision);
    if (!pipelineId) watchPipeline(rec.id);
    notifyInfo(`Saved “${rec.name}” (revision ${rec.revision})`);
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'stale_revision') {
      if (await confirmDialog({ title: 'Someone saved first', body: `${err.message}\n\nOverwrite replaces their version with yours; Cancel keeps theirs on the server.`, confirm: 'Overwrite', danger: true })) return save({ overwrite: true });
      return false;
    }
    notifyError(err);
    return false;
  }
}

export async function deploy(): Promise<void> {
  const result = validatePipeline(useEditor.getState().doc);
  if (!result.ok) {
    notifyError(`Fix ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} before deploying (see Problems)`);
    return;
  }
  if ((useEditor.getState().dirty || !useEditor.getState().pipelineId) && !(await save())) return;
  const id = useEditor.getState().pipelineId!;
  try {
    watchPipeline(id);
    // Restoring state (a savepoint, or a redeploy while running): say what each node keeps, and ask when some lose it.
    const { next, running } = await api.plan(id);
    let fresh = false;
    if (needsConfirmation(next, running)) {
      const choice = await usePlan.getState().ask(next);
      if (choice === 'cancel') return;
      fresh = choice === 'fresh';
    }
    const result = await api.deploy(id, { fresh });
    useLive.getState().setStatus(result);
    const count = (a: string) => result.plan.nodes.filter((n) => n.action === a).length;
    const [kept, reset, dropped] = [count('kept'), count('reset'), count('dropped')];
    if (result.plan.checkpointId !== null) {
      notifyInfo(`Deployed from ${result.plan.checkpointKind} ${result.plan.checkpointId}: ${kept} node${kept === 1 ? '' : 's'} kept their state` +
        `${reset ? `, ${reset} started empty` : ''}${dropped ? `, ${dropped} dropped` : ''}`);
    }
  } catch (err) {
    notifyError(err);
  }
}

/** Stops with a savepoint: the next deploy resumes from it. */
export async function savepoint(): Promise<void> {
  const id = useEditor.getState().pipelineId;
  if (!id) return;
  try {
    const { savepoint: sp, status } = await api.savepoint(id);
    useLive.getState().setStatus(status);
    notifyInfo(`Stopped with savepoint ${sp.id}: the next deploy resumes from it`);
  } catch (err) {
    notifyError(err);
  }
}

export async function restoreCheckpoint(checkpointId: number): Promise<void> {
  const id = useEditor.getState().pipelineId;
  if (!id) return;
  try {
    const result = await api.restore(id, checkpointId);
    useLive.getState().setStatus(result);
    notifyInfo(`Restored checkpoint ${checkpointId}`);
  } catch (err) {
    notifyError(err);
  }
}

export async function stop(): Promise<void> {
  const id = useEditor.getState().pipelineId;
  if (!id) return;
  try {
    useLive.getState().setStatus(await api.stop(id));
  } catch (err) {
    notifyError(err);
  }
}

export async function openPipeline(id: string): Promise<void> {
  try {
    const rec = await api.get(id);
    useEditor.getState().load(rec.document, rec.id, rec.revision);
    watchPipeline(rec.id);
  } catch (err) {
    notifyError(err);
  }
}

export function newPipeline(): void {
  useEditor.getState().load(emptyDocument(), null, null);
  watchPipeline(null);
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
    if (useEditor.getState().pipelineId === id) newPipeline();
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
  useEditor.getState().load(envelope.document, null, null);
  useEditor.setState({ dirty: true });
  watchPipeline(null);
  notifyInfo(`Imported “${envelope.document.name}” — Save to keep it`);
}

export function exportJson(): void {
  const doc: PipelineDocument = useEditor.getState().doc;
  download(canonicalJson(doc), 'application/json', `${fileBase(doc.name)}.json`);
}

export const fileBase = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'pipeline';

/** Saves text as a file through the browser's download. */
export function download(text: string, type: string, file: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = file;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Creates a pipeline from a template (the server writes its sample files), opens it, and deploys it if asked. */
export async function createFromTemplate(templateId: string, andDeploy: boolean): Promise<void> {
  try {
    const rec = await api.fromTemplate(templateId);
    useEditor.getState().load(rec.document, rec.id, rec.revision);
    watchPipeline(rec.id);
    notifyInfo(`Created “${rec.name}” from a template`);
    if (andDeploy) await deploy();
  } catch (err) {
    notifyError(err);
  }
}
