import type { CheckpointInfo, DeadLetter, NodeMetrics, PipelineDocument, PipelineMetrics, RestorePlan } from '@eddy/shared';
import type { CheckpointStore, LoadedCheckpoint } from './checkpoint/checkpoint-store.js';
import type { KeyedStateBackend } from './state/keyed-state.js';
import type { StateEntry, StateQuery } from './core/state-entries.js';
import { availableParallelism } from 'node:os';
import { Job } from './core/job.js';
import { ParallelJob } from './parallel/parallel-job.js';
import { planParallel } from './parallel/plan.js';
import { registry } from './registry.js';

/** Validates a document and builds a job; throws PipelineValidationError on bad input. */
export function createJob(document: unknown, options: JobOptions): JobHandle {
  const parallelism = resolveParallelism(settingsOf(document)?.parallelism);
  return parallelism > 1 ? new ParallelJob(document, options, registry, parallelism) : new Job(document, options, registry);
}

/**
 * settings.parallelism as a number of subtasks: 'auto' is the machine's cores but one (the
 * thread that serves the API and hosts the job keeps a core), at most 16; absent is 1.
 */
export function resolveParallelism(setting: number | 'auto' | undefined, cores = availableParallelism()): number {
  if (setting === 'auto') return Math.max(1, Math.min(16, cores - 1));
  return setting ?? 1;
}

/**
 * How a valid document would run, in words for the user (eddy run, the deploy log): its
 * subtasks, what runs once on the job's thread, and which edges exchange records by key.
 */
export function describeExecution(document: PipelineDocument, cores?: number): string[] {
  const parallelism = resolveParallelism(document.settings.parallelism, cores);
  if (parallelism === 1) return ['parallelism 1: every node runs on the job\'s one thread'];
  const order = topologicalOrder(document);
  return planParallel(document, order, parallelism).notes;
}

function topologicalOrder(document: PipelineDocument): string[] {
  const indegree = new Map(document.nodes.map((n) => [n.id, 0]));
  for (const e of document.edges) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const order: string[] = [];
  const ready = document.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const e of document.edges) if (e.from === id && indegree.set(e.to, indegree.get(e.to)! - 1).get(e.to) === 0) ready.push(e.to);
  }
  return order;
}

const settingsOf = (document: unknown) =>
  (typeof document === 'object' && document !== null ? (document as { settings?: { parallelism?: number | 'auto' } }).settings : undefined);

/** What the embedding program (server or CLI) gives a job. The runtime knows no HTTP. */
export interface JobOptions {
  /** Relative file paths in sources and sinks resolve against this folder; files must lie inside it or `fileRoots`. */
  baseDir: string;
  /** More folders where files may be read and written (default: EDDY_FILE_ROOTS); anything else is refused. */
  fileRoots?: string[];
  /**
   * `{ "secret": "NAME" }` params resolve from EDDY_SECRET_NAME or this JSON file (owner-only);
   * never from other environment variables. Their values never appear in errors or dead letters.
   */
  secretsFile?: string;
  /** Id reported in metrics (the server's pipeline id; the file name on the command line). */
  pipelineId?: string;
  /** New rows reached a sink.live node (called at most every `rowsIntervalMs`, with the latest rows, newest first). */
  onRows?(nodeId: string, rows: Record<string, unknown>[], total: number): void;
  onDeadLetter?(deadLetter: DeadLetter): void;
  /** Lines written by sink.log (default: process.stdout). */
  log?(line: string): void;
  /** Event time / wall clock source, for tests. Default Date.now. */
  now?(): number;
  /** Record latency histograms and rates (default true); the bench turns it off to measure its cost. */
  metrics?: boolean;
  /** Sees every batch a node emits, per output port (edge previews, the test harness). */
  tap?(nodeId: string, port: string, records: Record<string, unknown>[]): void;
  /**
   * With `tap`: only these are tapped — `node` (its every port) or `node.port` (that port) — so a
   * parallel job sends only their batches across threads, and a port no tap or edge reads (a
   * window's late records) lets the exchange carry only the fields the node reads.
   */
  tapNodes?: readonly string[];
  /**
   * With `tap`: the only top-level fields it reads of a tapped record, as a sink's schema names its
   * columns. A parallel job sends only these across threads, so its tap gets records cut down to
   * them (a field a record lacks stays absent); at parallelism 1 the tap gets whole records.
   */
  tapFields?: readonly string[];
  /**
   * With `tap`: it only keeps the newest N records of each node port (edge samples), so a
   * parallel job sends at most that many per report across threads, not every batch.
   */
  tapSample?: number;
  /** Replaces a source node's input with these records, in order (tests, the harness). */
  inputs?: Record<string, Record<string, unknown>[]>;
  /** With `inputs`: records handed on per push (1 = strictly one by one); a list is cycled (random batch boundaries in tests). */
  inputChunkSize?: number | number[];
  /** Where checkpoints go; without it the job takes none (tests, `eddy run` by default). */
  checkpoints?: CheckpointStore;
  /** Start from this checkpoint: nodes with the same id and kind get their state and offsets back. */
  restore?: LoadedCheckpoint | null;
  /** At-most-once: after a crash, resume sources from their acknowledged positions (not the checkpoint's). */
  resumeFromAcks?: boolean;
  /** Keyed state per node (default: in memory). */
  stateBackend?(nodeId: string): KeyedStateBackend;
  /** Parallel jobs: the subtasks keep their keyed state on disk (LMDB) in folders under this one (default: in memory). */
  subtaskStateDir?: string;
  /** Parallel jobs: each subtask thread's heap budget in MB (a subtask past it fails the job with that reason). */
  subtaskMemoryMb?: number;
}

export type JobState = 'created' | 'running' | 'finished' | 'stopped' | 'failed';

export interface JobOutcome {
  state: Exclude<JobState, 'created' | 'running'>;
  error?: Error;
}

/** A running pipeline. */
export interface JobHandle {
  readonly document: PipelineDocument;
  readonly state: JobState;
  /** Opens operators and starts the sources; resolves once running. */
  start(): Promise<void>;
  /**
   * Stops sources, drains in-flight batches, takes a final checkpoint (with checkpoint
   * storage), closes operators. Idempotent.
   */
  stop(): Promise<void>;
  /** Stops with a savepoint: the point a later deploy of an edited document resumes from. */
  savepoint(): Promise<CheckpointInfo>;
  /** Takes a checkpoint now (null without storage, or when writing failed). */
  checkpoint(): Promise<CheckpointInfo | null>;
  /** What this job restored, node by node. */
  readonly restorePlan: RestorePlan;
  /** Settles when the job finishes (bounded input), is stopped, or fails. */
  readonly done: Promise<JobOutcome>;
  metrics(): PipelineMetrics;
  nodeMetrics(nodeId: string): NodeMetrics | undefined;
  /** Latest rows of a sink.live node, newest first. */
  rows(nodeId: string): Record<string, unknown>[];
  deadLetters(): DeadLetter[];
  /**
   * Hands records to a source.http node; resolves once they are in the pipeline. Rejects
   * with an IngestError (no such node, not an HTTP source, not running, too busy). `refused`
   * records (refused before they could cross to the job, e.g. nested too deep to copy) become
   * dead letters of that node with their reason.
   */
  ingest(nodeId: string, records: Record<string, unknown>[], refused?: RefusedRecord[]): Promise<void>;
  /**
   * Keyed state of a stateful node for the state view: the number of keys and the entries
   * (up to `limit`, sorted by state name then key; only keys containing `key`, or starting
   * with `prefix`, when set). Undefined when there is no such node. A parallel job asks its
   * subtasks, so it answers with a promise.
   */
  nodeState(nodeId: string, query?: StateQuery): NodeState | undefined | Promise<NodeState | undefined>;
}

/** A record refused on its way in, with the reason: a dead letter of the node it was sent to. */
export interface RefusedRecord { record: unknown; reason: string }

export interface NodeState {
  nodeId: string;
  keys: number;
  bytes: number;
  /** [state name, key, value], sorted by state name then key */
  entries: StateEntry[];
}
