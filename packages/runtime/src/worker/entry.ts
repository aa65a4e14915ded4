// A job's own thread: runs one pipeline with createJob and talks to its WorkerJob (host.ts)
// through messages only. It boots first (pool.ts may keep it spare), then gets its `init`.
import { parentPort } from 'node:worker_threads';
import { edgeFromPort, type DeadLetter, type PipelineEdge } from '@eddy/shared';
import { createJob, type JobHandle, type JobOutcome } from '../api.js';
import type { Rec } from '../core/batch.js';
import { CheckpointStore, type LoadedCheckpoint } from '../checkpoint/checkpoint-store.js';
import type { LmdbEnvironment } from '../state/lmdb-state.js';
import { EdgeSampler } from './edge-sampler.js';
import { DEAD_LETTERS_PER_SNAPSHOT, toWire, type FromWorker, type Request, type RestoreFrom, type Snapshot, type ToWorker, type WorkerInit } from './protocol.js';

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

let init!: WorkerInit;
let sampler!: EdgeSampler;
let initialise!: (init: WorkerInit) => void;
const initialised = new Promise<WorkerInit>((resolve) => { initialise = resolve; });
const rows = new Map<string, [Rec[], number]>();
let deadLetters: DeadLetter[] = [];
let logs: string[] = [];
let env: LmdbEnvironment | null = null;
let ticker: NodeJS.Timeout | null = null;

async function loadRestore(from: RestoreFrom | null | undefined): Promise<LoadedCheckpoint | null> {
  if (!from) return null;
  if ('id' in from) {
    if (!init.checkpointDir) throw new Error(`Cannot restore checkpoint ${from.id}: the job has no checkpoint folder`);
    const loaded = await new CheckpointStore(init.checkpointDir).load({ id: from.id });
    if (!loaded) throw new Error(`No intact checkpoint ${from.id} in ${init.checkpointDir}`);
    return loaded;
  }
  // Buffers arrive as plain Uint8Arrays: view the same memory as Buffers again.
  const nodes = new Map([...from.nodes].map(([id, n]) => [id, { kind: n.kind, data: Buffer.from(n.data.buffer, n.data.byteOffset, n.data.byteLength) }]));
  return { info: from.info, nodes };
}

/**
 * The ports edges leave from (`node.port`): the only ones the designer samples (it watches edges),
 * so a parallel job sends nothing else across threads and may cut what a window's unconnected
 * late port would get. Read as given: createJob refuses a malformed document.
 */
function edgePorts(document: unknown): string[] {
  const edges = (document as { edges?: unknown } | null)?.edges;
  if (!Array.isArray(edges)) return [];
  return edges.flatMap((e: PipelineEdge | null) => (typeof e?.from === 'string' ? [`${e.from}.${edgeFromPort(e)}`] : []));
}

/** Everything since the last snapshot in one message: never one message per record. */
function snapshot(job: JobHandle): void {
  const message: Snapshot = { type: 'snapshot', metrics: job.metrics(), rows: [...rows].map(([id, [r, total]]) => [id, r, total]), deadLetters, logs, samples: sampler.take() };
  rows.clear();
  deadLetters = [];
  logs = [];
  try {
    post(message);
  } catch (err) {
    // A value that cannot cross threads (none of JSON's types): keep the figures, say why the rest is missing.
    post({ ...message, rows: [], samples: [], deadLetters: [], logs: [...message.logs, `[eddy] could not pass on rows or samples: ${(err as Error).message}`] });
  }
}

async function finished(job: JobHandle, outcome: JobOutcome): Promise<void> {
  if (ticker) clearInterval(ticker);
  snapshot(job);
  await env?.close().catch(() => undefined);
  post({ type: 'done', state: outcome.state, ...(outcome.error && { error: toWire(outcome.error) }) });
  // The host terminates this thread once it has every reply it waits for.
}

const ready: Promise<JobHandle | null> = initialised.then(async (given) => {
  init = given;
  sampler = new EdgeSampler(init.tapEdges);
  try {
    const restore = await loadRestore(init.restore);
    // lmdb loads only for a job with state on disk: a thread's start-up pays for what its job uses.
    env = init.stateDir ? new (await import('../state/lmdb-state.js')).LmdbEnvironment(init.stateDir) : null;
    const lmdb = env;
    const job = createJob(init.document, {
      baseDir: init.baseDir,
      fileRoots: init.fileRoots,
      secretsFile: init.secretsFile,
      pipelineId: init.pipelineId,
      metrics: init.metrics,
      inputs: init.inputs,
      inputChunkSize: init.inputChunkSize,
      resumeFromAcks: init.resumeFromAcks,
      restore,
      checkpoints: init.checkpointDir ? new CheckpointStore(init.checkpointDir, init.retainedCheckpoints) : undefined,
      stateBackend: lmdb ? (nodeId) => lmdb.backend(nodeId) : undefined,
      subtaskStateDir: init.stateDir ? `${init.stateDir}/subtasks` : undefined,
      subtaskMemoryMb: init.memoryMb,
      tap: sampler.tap, tapSample: 20, tapNodes: edgePorts(init.document),
      onRows: (nodeId, latest, total) => { rows.set(nodeId, [latest, total]); },
      onDeadLetter: (dl) => {
        deadLetters.push(dl);
        if (deadLetters.length > 2 * DEAD_LETTERS_PER_SNAPSHOT) deadLetters = deadLetters.slice(-DEAD_LETTERS_PER_SNAPSHOT);
      },
      log: (line) => { logs.push(line); },
    });
    void job.done.then((outcome) => finished(job, outcome));
    return job;
  } catch (err) {
    await env?.close().catch(() => undefined);
    post({ type: 'done', state: 'failed', error: toWire(err) });
    return null;
  }
});

async function answer(job: JobHandle, request: Request): Promise<unknown> {
  switch (request.type) {
    case 'start': {
      await job.start();
      snapshot(job);
      ticker = setInterval(() => snapshot(job), init.snapshotIntervalMs);
      return { restorePlan: job.restorePlan };
    }
    case 'checkpoint': return job.checkpoint();
    case 'savepoint': return job.savepoint();
    case 'ingest': return job.ingest(request.nodeId, request.records, request.refused);
    case 'nodeState': return job.nodeState(request.nodeId, request.query);
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'init') return initialise(message.init);
  void ready.then(async (job) => {
    if (!job) return;
    if (message.type === 'watch') return sampler.watch(message.edges);
    if (message.type === 'stop') return void (await job.stop());
    try {
      const value = await answer(job, message);
      post({ type: 'reply', id: message.id, ok: true, value });
    } catch (err) {
      post({ type: 'reply', id: message.id, ok: false, error: toWire(err) });
    }
  });
});
