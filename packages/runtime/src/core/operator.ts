import type { ModelMetrics, PipelineDocument, PipelineNode, RecordSchema } from '@eddy/shared';
import type { Batch, Rec } from './batch.js';
import type { KeyedStateBackend } from '../state/keyed-state.js';
import type { FiredTimer, TimerService } from './timer-service.js';

/** A checkpoint barrier (Chandy–Lamport, as Flink's asynchronous barrier snapshots). */
export interface CheckpointBarrier { id: number; timestamp: number }

/** What every node's code gets, once, from its factory: where it is, its state, and the job's services. */
export interface NodeContext {
  readonly node: PipelineNode;
  /** The pipeline's id (the server's id; the file name on the command line): names external commit records. */
  readonly pipelineId: string;
  readonly document: PipelineDocument;
  readonly baseDir: string;
  /** Folders besides baseDir where files may be read and written (an operator checks again when it opens one). */
  readonly fileRoots?: readonly string[];
  readonly state: KeyedStateBackend;
  /** This node's own snapshot from the checkpoint the job restores from (set before open). */
  readonly restored: unknown;
  /** Whether the job takes checkpoints: a transactional sink then commits only with them. */
  readonly checkpointed?: boolean;
  /** A bad record leaves the stream with a reason; the pipeline keeps running. */
  deadLetter(record: unknown, reason: string): void;
  /** Monotonic milliseconds (for latency). */
  clock(): number;
  /** Wall-clock epoch milliseconds (ingestion time, generator start). */
  now(): number;
  log(line: string): void;
}

/**
 * What an operator may do. Emitted batches are collected and handed downstream by the
 * executor after the current call returns, so operators stay synchronous and simple.
 */
export interface OperatorContext extends NodeContext {
  /** Record schema of each connected input port, as inferred by the validator. */
  readonly inputSchemas: Record<string, RecordSchema>;
  emit(batch: Batch, port?: string): void;
  /**
   * Emits one record, appended to the operator's current output batch, so what an operator
   * emits from processBatch and from onTimer stays in order. `wm` is the watermark the record
   * carries: a record's own for output caused by a record, `FiredTimer.outputWatermark` for
   * output caused by a timer.
   */
  output(record: Rec, time: number, wm: number, port?: string): void;
  /** Event- and processing-time timers (checkpointed); onTimer receives them. */
  readonly timers: TimerService;
  /**
   * Its input may hold partial aggregates made before a parallel exchange (a window's,
   * operators/window/pre-aggregate.ts); set only where the parallel plan makes them.
   */
  readonly partialInput?: boolean;
  /** Counts `n` more input records than the batch held (a partial aggregate stands for its records). */
  countInput(n: number): void;
  /** Counts records that arrived after their window fired (metrics). */
  countLate(n: number): void;
  /** The watermark in force (a record's own while `timers.atRecord` has moved time to it). */
  currentWatermark(): number;
  /** sink.live: publish the latest rows (the job keeps them for `rows()` and tells the embedder). */
  publishRows(rows: Rec[], total: number): void;
}

/**
 * The lifecycle every node's code shares, sources and operators alike (as Arroyo's and
 * Flink's): built by its factory with its context, then open → … → close. A returned
 * promise means "not done yet": the executor waits for it.
 */
export interface NodeLifecycle {
  /** Acquires resources (connections, state maps); a failure fails the deployment. */
  open?(): void | Promise<void>;
  /**
   * The barrier reached this node: return what it keeps outside keyed state (a sink's
   * pending part, say). Keyed state is snapshot by the job. Pre-commit work happens here.
   */
  onCheckpoint?(barrier: CheckpointBarrier): unknown | Promise<unknown>;
  /** The checkpoint is durable: a transactional sink commits what it pre-committed for it. */
  onCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** Flushes and releases resources. Called once, also after failure. */
  close?(): void | Promise<void>;
}

/**
 * A node with inputs: processBatch / onWatermark / onTimer between open and close. A
 * returned promise holds back further input, which is how a slow sink slows its sources.
 */
export interface Operator extends NodeLifecycle {
  processBatch(batch: Batch, port: string): void | Promise<void>;
  /** Called when the minimum watermark over all inputs advances, after the timers it passed fired. */
  onWatermark?(watermark: number): void | Promise<void>;
  /** A timer registered with `ctx.timers` is due (event time: in time order, before the watermark goes on). */
  onTimer?(timer: FiredTimer): void;
  /** A score node's model figures (NodeMetrics.model), read with the node's other figures. */
  modelMetrics?(): ModelMetrics | undefined;
}
