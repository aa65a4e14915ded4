import { createWorkerJob, DEFAULT_JOB_MEMORY_MB, type CheckpointStore, type WorkerJobHandle, type WorkerJobOptions } from '@eddy/runtime';

/** A deployed pipeline's job: it runs on its own worker thread, so the API's event loop stays free. */
export type HostedJob = WorkerJobHandle;

export interface HostedJobOptions extends Omit<WorkerJobOptions, 'checkpointDir' | 'retainedCheckpoints' | 'memoryMb'> {
  /** Where the job's checkpoints go (its folder and retention cross to the job's thread). */
  checkpoints: CheckpointStore;
}

/**
 * Each job's heap budget in MB: EDDY_JOB_MEMORY_MB, default 1024. A job past it fails with
 * that reason; the server and its other jobs go on.
 */
export function jobMemoryMb(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.EDDY_JOB_MEMORY_MB;
  if (raw === undefined || raw === '') return DEFAULT_JOB_MEMORY_MB;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 16) throw new Error(`EDDY_JOB_MEMORY_MB must be a whole number of megabytes, at least 16 (got '${raw}')`);
  return mb;
}

// Read once at start-up: a bad value stops the server before it serves anything.
const memoryMb = jobMemoryMb();

/** Builds a deployed pipeline's job (throws PipelineValidationError on a bad document). */
export function hostJob(document: unknown, options: HostedJobOptions): HostedJob {
  const { checkpoints, ...rest } = options;
  return createWorkerJob(document, { ...rest, checkpointDir: checkpoints.dir, retainedCheckpoints: checkpoints.retained, memoryMb });
}
