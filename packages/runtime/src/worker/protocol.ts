import type { CheckpointInfo, DeadLetter, PipelineMetrics, PipelineDocument, RestorePlan } from '@eddy/shared';
import type { JobOutcome } from '../api.js';
import type { Rec } from '../core/batch.js';

/**
 * Messages between a WorkerJob (the embedder's thread) and its worker (worker/entry.ts).
 * Everything here crosses threads by structured clone: no functions, no class instances.
 */

/** A checkpoint to restore, as it crosses threads: read by the host, or named for the worker to read. */
export type RestoreFrom =
  | { id: number }
  | { info: CheckpointInfo; nodes: Map<string, { kind: string; data: Uint8Array }> };

/** How a job on its own thread is set up: only values that cross threads. */
export interface JobThreadSettings {
  baseDir: string;
  /** Folders besides baseDir that files may lie in (EDDY_FILE_ROOTS when unset). */
  fileRoots?: string[];
  /** Secrets file (besides EDDY_SECRET_* variables). */
  secretsFile?: string;
  pipelineId?: string;
  metrics?: boolean;
  inputs?: Record<string, Rec[]>;
  inputChunkSize?: number | number[];
  resumeFromAcks?: boolean;
  /** Keyed state in LMDB in this folder (cleared at start, removed at the end); none: on the job's heap. */
  stateDir?: string;
  /** Where checkpoints go (a CheckpointStore folder); without it the job takes none. */
  checkpointDir?: string;
  retainedCheckpoints?: number;
}

/** What the worker is given at start (the `init` message). */
export interface WorkerInit extends JobThreadSettings {
  document: PipelineDocument;
  restore?: RestoreFrom | null;
  /** Edges (`node:port`) whose records are sampled from the start. */
  tapEdges: string[];
  /** How often the worker posts its snapshot (metrics, rows, dead letters, logs, samples). */
  snapshotIntervalMs: number;
  /** The job thread's heap budget: each subtask of a parallel job gets the same. */
  memoryMb?: number;
}

export interface NodeStateQuery { key?: string; prefix?: string; limit?: number }

export type Request =
  | { type: 'start' }
  | { type: 'checkpoint' }
  | { type: 'savepoint' }
  | { type: 'ingest'; nodeId: string; records: Rec[]; refused: { record: unknown; reason: string }[] }
  | { type: 'nodeState'; nodeId: string; query: NodeStateQuery };

export type ToWorker =
  /** First message: a thread boots (loads the runtime) before it knows its job. */
  | { type: 'init'; init: WorkerInit }
  | (Request & { id: number })
  | { type: 'stop' }
  | { type: 'watch'; edges: string[] };

/** An error as it crosses threads; `code` keeps an IngestError's code. */
export interface WireError { name: string; message: string; code?: string; stack?: string }

/** Everything the worker has to say since the last snapshot, in one message. */
export interface Snapshot {
  type: 'snapshot';
  metrics: PipelineMetrics;
  /** [nodeId, latest rows (newest first), total] of the sink.live nodes that published since. */
  rows: [string, Rec[], number][];
  /** The newest dead letters since the last snapshot (at most DEAD_LETTERS_PER_SNAPSHOT). */
  deadLetters: DeadLetter[];
  logs: string[];
  /** [nodeId, port, newest records] of the tapped edges that emitted since. */
  samples: [string, string, Rec[]][];
}

export type FromWorker =
  | Snapshot
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError }
  /** The job ended; the final snapshot was posted just before. */
  | { type: 'done'; state: JobOutcome['state']; error?: WireError };

export interface StartReply { restorePlan: RestorePlan }

export const DEAD_LETTERS_PER_SNAPSHOT = 1000;

export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, stack: err.stack, ...(typeof code === 'string' && { code }) };
}
