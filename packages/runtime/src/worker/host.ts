import { rmSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import {
  noCheckpoints,
  type CheckpointInfo, type DeadLetter, type NodeMetrics, type PipelineDocument, type PipelineMetrics, type RestorePlan,
} from '@eddy/shared';
import type { JobHandle, JobOutcome, JobState, NodeState, RefusedRecord } from '../api.js';
import { withoutDeepRecords } from '../core/record-depth.js';
import type { Rec } from '../core/batch.js';
import { IngestError } from '../core/source.js';
import { planRestore } from '../core/checkpoint-coordinator.js';
import { checkJobDocument } from '../core/job.js';
import type { LoadedCheckpoint } from '../checkpoint/checkpoint-store.js';
import { takeJobThread } from './pool.js';
import type { FromWorker, JobThreadSettings, NodeStateQuery, Request, Snapshot, StartReply, ToWorker, WireError, WorkerInit } from './protocol.js';

export const DEFAULT_JOB_MEMORY_MB = 1024;
const KEEP_DEAD_LETTERS = 1000;
/** After the job ended: how long replies still in flight may take before the thread goes. */
const REPLY_GRACE_MS = 2000;

/** What a job on its own thread is given: only values that cross threads, plus callbacks run on this thread. */
export interface WorkerJobOptions extends JobThreadSettings {
  /** A checkpoint read here (its data is copied to the job's thread), or the id of one in `checkpointDir`. */
  restore?: LoadedCheckpoint | { id: number } | null;
  /** The job's heap budget (V8 old generation, MB); past it the job fails and nothing else does. Default 1024. */
  memoryMb?: number;
  /** How long stop() waits for the job's thread before ending it (default 30 s). */
  stopTimeoutMs?: number;
  /** How often the job's thread reports metrics, rows, dead letters, log lines and samples (ms, default 200). */
  snapshotIntervalMs?: number;
  /** Edges (`node:port`) sampled from the start; change with watchEdges. */
  tapEdges?: string[];
  onRows?(nodeId: string, rows: Rec[], total: number): void;
  onDeadLetter?(deadLetter: DeadLetter): void;
  log?(line: string): void;
  /** Samples of the watched edges: the newest records each, a few times a second. */
  tap?(nodeId: string, port: string, records: Rec[]): void;
}

/** A job on its own thread: JobHandle's shape, with reads of its state answered asynchronously. */
export interface WorkerJobHandle extends Omit<JobHandle, 'nodeState'> {
  nodeState(nodeId: string, query?: NodeStateQuery): Promise<NodeState | undefined>;
  /** Which edges (`node:port`) are sampled for `tap`; only their records cross threads. */
  watchEdges(edges: string[]): void;
}

/**
 * Runs a pipeline in a worker thread, so its work never blocks this thread's event loop.
 * Validates here (throws PipelineValidationError like createJob); the job is built on its
 * thread at start. Reads (metrics, rows, dead letters) come from the latest snapshot the
 * job posts; a crash of the thread — an uncaught error, its memory budget, an exit — fails
 * the job with the reason and leaves this process alone.
 */
export function createWorkerJob(document: unknown, options: WorkerJobOptions): WorkerJobHandle {
  return new WorkerJob(document, options);
}

class WorkerJob implements WorkerJobHandle {
  readonly document: PipelineDocument;
  state: JobState = 'created';
  readonly done: Promise<JobOutcome>;
  restorePlan: RestorePlan;
  private settle!: (outcome: JobOutcome) => void;
  private worker: Worker | null = null;
  private latest: PipelineMetrics;
  private readonly liveRows = new Map<string, Rec[]>();
  private deadLetterList: DeadLetter[] = [];
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  private nextId = 1;
  private tapEdges: string[];
  private readonly memoryMb: number;

  constructor(input: unknown, private readonly options: WorkerJobOptions) {
    // The same checks as on the job's thread (document, files, secrets), so a bad deploy is refused at once.
    this.document = checkJobDocument(input, options).result.document;
    const restore = options.restore;
    this.restorePlan = planRestore(restore && 'info' in restore ? restore.info : null, this.document);
    this.latest = zeroMetrics(this.document, options.pipelineId ?? this.document.name);
    this.tapEdges = options.tapEdges ?? [];
    this.memoryMb = options.memoryMb ?? DEFAULT_JOB_MEMORY_MB;
    this.done = new Promise((resolve) => { this.settle = resolve; });
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new Error(`A job starts once; this one is ${this.state}`);
    this.state = 'running';
    const o = this.options;
    const init: WorkerInit = {
      document: this.document, baseDir: o.baseDir, fileRoots: o.fileRoots, secretsFile: o.secretsFile, pipelineId: o.pipelineId, metrics: o.metrics, inputs: o.inputs, inputChunkSize: o.inputChunkSize,
      resumeFromAcks: o.resumeFromAcks, stateDir: o.stateDir, checkpointDir: o.checkpointDir, retainedCheckpoints: o.retainedCheckpoints,
      restore: o.restore ?? null, tapEdges: this.tapEdges, snapshotIntervalMs: o.snapshotIntervalMs ?? 200, memoryMb: this.memoryMb,
    };
    const worker = takeJobThread(this.memoryMb);
    this.worker = worker;
    this.send({ type: 'init', init });
    worker.on('message', (m: FromWorker) => this.receive(m));
    worker.on('error', (err: Error & { code?: string }) => {
      this.end('failed', err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new Error(`The job exceeded its memory budget of ${this.memoryMb} MB and was stopped (keep keyed state on disk, shorten windows or dedupe spans, or raise the budget)`)
        : new Error(`The job's thread crashed: ${err.message}`, { cause: err }));
    });
    worker.on('messageerror', (err) => this.end('failed', new Error(`The job's thread sent a message that could not be read: ${err.message}`)));
    worker.on('exit', (code) => {
      this.worker = null;
      if (o.stateDir) rmSync(o.stateDir, { recursive: true, force: true }); // the thread may not have cleaned up
      this.end('failed', new Error(`The job's thread exited (code ${code}) before the job ended`));
      for (const p of this.pending.values()) p.reject(new Error('The job ended before it answered'));
      this.pending.clear();
    });
    // A job that cannot start (its thread fails first) settles done instead; like createJob's start, this does not reject.
    const started = this.request<StartReply>({ type: 'start' }).then((r) => { this.restorePlan = r.restorePlan; }, () => undefined);
    await Promise.race([started, this.done]);
  }

  async stop(): Promise<void> {
    if (this.state === 'created') return this.end('stopped');
    if (this.state !== 'running') return;
    this.send({ type: 'stop' });
    // A job stuck in its own code (a tight loop) never answers: after the grace period its
    // thread is ended; the latest completed checkpoint is where a redeploy resumes.
    const grace = this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), grace); });
    const first = await Promise.race([this.done, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') {
      this.end('failed', new Error(`The job did not stop within ${grace} ms (its thread was busy); its thread was ended and the latest checkpoint stands`));
      await this.done;
    }
  }

  async savepoint(): Promise<CheckpointInfo> {
    if (this.state !== 'running') throw new Error(`A savepoint needs a running job; this one is ${this.state}`);
    const info = await this.request<CheckpointInfo>({ type: 'savepoint' });
    await this.done;
    return info;
  }

  async checkpoint(): Promise<CheckpointInfo | null> {
    if (this.state !== 'running') return null;
    return this.request<CheckpointInfo | null>({ type: 'checkpoint' });
  }

  ingest(nodeId: string, records: Rec[], refused: RefusedRecord[] = []): Promise<void> {
    if (this.state !== 'running') return Promise.reject(new IngestError('not_running', `The job is ${this.state}`));
    // Copying to the job's thread recurses per level: a record nested thousands deep would
    // overflow this thread's stack, so it is refused here and becomes the job's dead letter.
    const kept = withoutDeepRecords(records, (record, reason) => refused.push({ record, reason }));
    return this.request<void>({ type: 'ingest', nodeId, records: kept, refused });
  }

  async nodeState(nodeId: string, query: NodeStateQuery = {}): Promise<NodeState | undefined> {
    if (this.state !== 'running') return undefined;
    return this.request<NodeState | undefined>({ type: 'nodeState', nodeId, query });
  }

  watchEdges(edges: string[]): void {
    this.tapEdges = [...edges];
    if (this.worker) this.send({ type: 'watch', edges: this.tapEdges });
  }

  metrics(): PipelineMetrics {
    return this.latest;
  }

  nodeMetrics(nodeId: string): NodeMetrics | undefined {
    return this.latest.nodes[nodeId];
  }

  rows(nodeId: string): Rec[] {
    return this.liveRows.get(nodeId) ?? [];
  }

  deadLetters(): DeadLetter[] {
    return [...this.deadLetterList];
  }

  private receive(m: FromWorker): void {
    if (m.type === 'snapshot') return this.apply(m);
    if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(fromWire(m.error));
      if (this.state !== 'running' && this.pending.size === 0) void this.worker?.terminate();
      return;
    }
    this.end(m.state, m.error && fromWire(m.error));
  }

  private apply(s: Snapshot): void {
    this.latest = s.metrics;
    const o = this.options;
    for (const [nodeId, rows, total] of s.rows) {
      this.liveRows.set(nodeId, rows);
      o.onRows?.(nodeId, rows, total);
    }
    if (s.deadLetters.length) {
      this.deadLetterList.push(...s.deadLetters);
      if (this.deadLetterList.length > KEEP_DEAD_LETTERS) this.deadLetterList = this.deadLetterList.slice(-KEEP_DEAD_LETTERS);
      if (o.onDeadLetter) for (const dl of s.deadLetters) o.onDeadLetter(dl);
    }
    for (const line of s.logs) (o.log ?? ((l: string) => process.stdout.write(l + '\n')))(line);
    if (o.tap) for (const [nodeId, port, records] of s.samples) o.tap(nodeId, port, records);
  }

  /** Settles the job once; the thread goes as soon as no reply is awaited (or after a grace period). */
  private end(state: JobOutcome['state'], error?: Error): void {
    if (this.state !== 'running' && this.state !== 'created') return;
    this.state = state;
    this.settle(error ? { state, error } : { state });
    const worker = this.worker;
    if (!worker) return;
    if (this.pending.size === 0) void worker.terminate();
    else setTimeout(() => void worker.terminate(), REPLY_GRACE_MS).unref();
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private request<T>(request: Request): Promise<T> {
    if (!this.worker) return Promise.reject(new Error(`The job is ${this.state}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ ...request, id });
    });
  }
}

/** How long stop() waits for a job's thread before ending it. */
const STOP_TIMEOUT_MS = 30_000;

function fromWire(e: WireError): Error {
  if (e.name === 'IngestError' && e.code) return new IngestError(e.code as IngestError['code'], e.message);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

function zeroMetrics(document: PipelineDocument, pipelineId: string): PipelineMetrics {
  const zero: NodeMetrics = { recordsIn: 0, recordsOut: 0, ratePerSec: 0, ratePerSecIn: 0, latencyMs: { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0, totalCount: 0, totalMs: 0 },
    watermark: null, watermarkLagMs: null, lateRecords: 0, errors: 0, stateKeys: 0, stateBytes: 0, backpressure: 0 };
  return { pipelineId, at: Date.now(), nodes: Object.fromEntries(document.nodes.map((n) => [n.id, { ...zero }])), deadLetters: 0, checkpoints: noCheckpoints() };
}
