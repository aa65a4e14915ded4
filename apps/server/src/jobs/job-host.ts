import {
  createJob, createWorkerJob, DEFAULT_JOB_MEMORY_MB, LmdbEnvironment, prewarmJobThreads, type CheckpointStore, type WorkerJobHandle, type WorkerJobOptions,
} from '@eddy/runtime';

/** A deployed pipeline's job: it runs on its own worker thread, so the API's event loop stays free. */
export type HostedJob = WorkerJobHandle;

export interface HostedJobOptions extends Omit<WorkerJobOptions, 'checkpointDir' | 'retainedCheckpoints' | 'memoryMb' | 'restore'> {
  /** Where the job's checkpoints go (its folder and retention cross to the job's thread). */
  checkpoints: CheckpointStore;
  restore: Exclude<WorkerJobOptions['restore'], { id: number }>;
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
/** EDDY_JOB_THREADS=off runs jobs on the API's thread (debugging, and measuring what threads buy: scripts/api-latency.mjs). */
const onThreads = process.env.EDDY_JOB_THREADS !== 'off';
// A thread loads the runtime ahead, so a deploy — or a restart resuming pipelines — need not wait for it.
if (onThreads) prewarmJobThreads(1, memoryMb);

/** Builds a deployed pipeline's job (throws PipelineValidationError on a bad document). */
export function hostJob(document: unknown, options: HostedJobOptions): HostedJob {
  const { checkpoints, ...rest } = options;
  if (!onThreads) return inProcess(document, options);
  return createWorkerJob(document, { ...rest, checkpointDir: checkpoints.dir, retainedCheckpoints: checkpoints.retained, memoryMb });
}

/** The same job on this thread, behind the same interface (no memory budget: it shares the server's heap). */
function inProcess(document: unknown, options: HostedJobOptions): HostedJob {
  const { stateDir, tapEdges: _edges, snapshotIntervalMs: _interval, ...rest } = options;
  const env = stateDir ? new LmdbEnvironment(stateDir) : null;
  let job: ReturnType<typeof createJob>;
  try {
    job = createJob(document, { ...rest, stateBackend: env ? (nodeId) => env.backend(nodeId) : undefined });
  } catch (err) {
    void env?.close();
    throw err;
  }
  void job.done.then(() => env?.close());
  return {
    document: job.document, done: job.done, restorePlan: job.restorePlan,
    get state() { return job.state; },
    start: () => job.start(), stop: () => job.stop(), savepoint: () => job.savepoint(), checkpoint: () => job.checkpoint(),
    metrics: () => job.metrics(), nodeMetrics: (id) => job.nodeMetrics(id), rows: (id) => job.rows(id), deadLetters: () => job.deadLetters(),
    ingest: (id, records, refused) => job.ingest(id, records, refused),
    nodeState: async (id, query) => job.nodeState(id, query),
    watchEdges: () => undefined, // the server's SampleTap sees every batch and keeps the watched edges'
  };
}
