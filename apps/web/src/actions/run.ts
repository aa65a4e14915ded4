import { validatePipeline } from '@eddy/shared';
import { api, ApiError, type DeployTarget } from '../api/client';
import { useEditor } from '../state/editor-store';
import { useLive } from '../state/live-store';
import { notifyError, notifyInfo } from '../state/notice-store';
import { needsConfirmation, usePlan } from '../state/plan-store';
import { watchPipeline } from './live';
import { save } from './pipelines';

export async function deploy(target: DeployTarget = 'embedded'): Promise<void> {
  const result = validatePipeline(useEditor.getState().doc);
  if (!result.ok) {
    notifyError(`Fix ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} before deploying (see Problems)`);
    return;
  }
  if ((useEditor.getState().dirty || !useEditor.getState().pipelineId) && !(await save())) return;
  const id = useEditor.getState().pipelineId!;
  if (target === 'flink') return deployOnFlink(id);
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
    const status = await api.stop(id);
    useLive.getState().setStatus(status);
    if (status.flink?.savepoint) notifyInfo(`Stopped the Flink job with a savepoint: ${status.flink.savepoint}`);
  } catch (err) {
    notifyError(err);
  }
}

/** Deploy target flink: the server translates and submits; untranslatable nodes come back named (422). */
async function deployOnFlink(id: string): Promise<void> {
  try {
    watchPipeline(id);
    const status = await api.deployOnFlink(id);
    useLive.getState().setStatus(status);
    notifyInfo(`Deployed to Flink: job ${status.flink?.jobId ?? '?'}`);
  } catch (err) {
    const problems = err instanceof ApiError ? (err.details as { problems?: { nodeId?: string; message: string }[] } | undefined)?.problems : undefined;
    if (problems?.length) notifyError(`Cannot run on Flink: ${problems.map((x) => `${x.nodeId ? `${x.nodeId}: ` : ''}${x.message}`).join('; ')} (see the Flink SQL tab)`);
    else notifyError(err);
  }
}
