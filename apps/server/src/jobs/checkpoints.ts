import { join } from 'node:path';
import { CheckpointStore, planRestore, type LoadedCheckpoint } from '@eddy/runtime';
import type { CheckpointInfo, RestorePlan } from '@eddy/shared';
import { Invalid } from '../domain-errors.js';
import type { StoredPipeline } from '../store/pipeline-store.js';

/** Where a deploy starts: a server restart resumes; a user deploy takes a pending savepoint or starts fresh. */
export type StartFrom = { resume: true } | { checkpointId: number } | { fresh: true } | Record<string, never>;

/** Each pipeline's checkpoints live in `<dataDir>/checkpoints/<pipelineId>`. */
export class PipelineCheckpoints {
  constructor(private readonly dataDir: string) {}

  storeFor(p: StoredPipeline): CheckpointStore {
    return new CheckpointStore(join(this.dataDir, 'checkpoints', p.id), p.document.settings.retainedCheckpoints);
  }

  list(p: StoredPipeline): Promise<CheckpointInfo[]> {
    return this.storeFor(p).list();
  }

  /** The checkpoint a deploy restores (null: fresh). A named one that is not intact is Invalid. */
  async resolve(p: StoredPipeline, from: StartFrom): Promise<LoadedCheckpoint | null> {
    const store = this.storeFor(p);
    if ('fresh' in from) return null;
    if ('checkpointId' in from) {
      const loaded = await store.load({ id: from.checkpointId });
      if (!loaded) throw new Invalid(`Pipeline '${p.id}' has no intact checkpoint ${from.checkpointId}`, 'unknown_checkpoint', { checkpointId: from.checkpointId });
      return loaded;
    }
    if ('resume' in from && p.run) {
      // This run's newest checkpoint; before its first one, where the run itself started.
      const own = await store.load({ minId: p.run.firstCheckpointId });
      if (own) return own;
      return p.run.from === null ? null : store.load({ id: p.run.from });
    }
    return p.resumeFrom ? store.load({ id: p.resumeFrom }) : null;
  }

  /** What the next deploy of the stored document would keep, reset and drop. */
  async plan(p: StoredPipeline): Promise<RestorePlan> {
    const info = p.resumeFrom ? (await this.list(p)).find((c) => c.id === p.resumeFrom) ?? null : null;
    return planRestore(info, p.document);
  }

  async nextId(p: StoredPipeline): Promise<number> {
    return (await this.storeFor(p).lastId()) + 1;
  }

  remove(p: StoredPipeline): Promise<void> {
    return this.storeFor(p).clear();
  }
}
