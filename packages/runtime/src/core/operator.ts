import { parseDuration, type EventTimeParams, type PipelineDocument, type PipelineNode, type RecordSchema } from '@eddy/shared';
import type { Batch, Rec } from './batch.js';
import type { KeyedStateBackend } from '../state/keyed-state.js';
import type { FiredTimer, TimerService } from './timer-service.js';

/** A checkpoint barrier (Chandy–Lamport, as Flink's asynchronous barrier snapshots). */
export interface CheckpointBarrier { id: number; timestamp: number }

/**
 * What an operator may do. Emitted batches are collected and handed downstream by the
 * executor after the current call returns, so operators stay synchronous and simple.
 */
export interface OperatorContext {
  readonly node: PipelineNode;
  /** The pipeline's id (the server's id; the file name on the command line): names external commit records. */
  readonly pipelineId: string;
  readonly document: PipelineDocument;
  /** Record schema of each connected input port, as inferred by the validator. */
  readonly inputSchemas: Record<string, RecordSchema>;
  readonly baseDir: string;
  /** Folders besides baseDir where files may be read and written (an operator checks again when it opens one). */
  readonly fileRoots?: readonly string[];
  readonly state: KeyedStateBackend;
  /** This operator's own snapshot from the checkpoint the job restores from (set before open). */
  readonly restored: unknown;
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
  /** A bad record leaves the stream with a reason; the pipeline keeps running. */
  deadLetter(record: unknown, reason: string): void;
  /** Counts records that arrived after their window fired (metrics). */
  countLate(n: number): void;
  /** The watermark in force (a record's own while `timers.atRecord` has moved time to it). */
  currentWatermark(): number;
  /** Monotonic milliseconds (for latency). */
  clock(): number;
  /** Wall-clock epoch milliseconds (ingestion time, generator start). */
  now(): number;
  log(line: string): void;
  /** sink.live: publish the latest rows. */
  publishRows(rows: Rec[], total: number): void;
}

/**
 * The operator lifecycle (as Arroyo's and Flink's): open → processBatch / onWatermark /
 * onTimer / onCheckpoint … → close. A returned promise means "not done yet": the
 * executor waits for it before handing the operator more, which is how a slow sink
 * slows its sources.
 */
export interface Operator {
  open?(ctx: OperatorContext): void | Promise<void>;
  processBatch(batch: Batch, port: string): void | Promise<void>;
  /** Called when the minimum watermark over all inputs advances, after the timers it passed fired. */
  onWatermark?(watermark: number): void | Promise<void>;
  /** A timer registered with `ctx.timers` is due (event time: in time order, before the watermark goes on). */
  onTimer?(timer: FiredTimer): void;
  /**
   * The barrier reached this operator: return what it keeps outside keyed state (a sink's
   * pending part, say). Keyed state is snapshot by the job. Pre-commit work happens here.
   */
  onCheckpoint?(barrier: CheckpointBarrier): unknown | Promise<unknown>;
  /** The checkpoint is durable: a transactional sink commits what it pre-committed for it. */
  onCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** Flushes and releases resources. Called once, also after failure. */
  close?(): void | Promise<void>;
}

/** A source produces records; the SourceDriver adds event time, watermarks and batching. */
export interface SourceOperator extends Operator {
  readonly isSource: true;
  /** Event time configuration; undefined = ingestion time. */
  readonly eventTime: { field: string; maxOutOfOrdernessMs: number; idleTimeoutMs?: number } | undefined;
  readonly bounded: boolean;
  /**
   * Where the source would resume after the records it has pushed so far (a file's byte
   * offset, a generator's index); undefined = the source cannot replay. Read by the driver
   * at each push, so a checkpoint holds the offset of exactly the records delivered.
   */
  checkpointPosition?(): unknown;
  /** Called before `run` when the job restores from a checkpoint. */
  restorePosition?(position: unknown): void;
  /** Runs until the input is exhausted (bounded) or `signal` aborts; awaits `out.push` for backpressure. */
  run(out: SourceOutput, signal: AbortSignal): Promise<void>;
}

export interface SourceOutput {
  /**
   * Hands records to the graph; await the result before producing more. `createdAt`
   * (monotonic ms) is when the first record was due, for a paced source: end-to-end
   * latency then counts time spent waiting behind a slow pipeline too.
   */
  push(records: Rec[], createdAt?: number): void | Promise<void>;
  /** A record that could not be parsed. */
  deadLetter(raw: unknown, reason: string): void;
}

export const isSourceOperator = (op: Operator): op is SourceOperator => (op as SourceOperator).isSource === true;

/** A source's event-time settings from its `eventTime` param (undefined: ingestion time). */
export function sourceEventTime(et: EventTimeParams | undefined): SourceOperator['eventTime'] {
  return et && {
    field: et.field,
    maxOutOfOrdernessMs: parseDuration(et.maxOutOfOrderness),
    idleTimeoutMs: et.idleTimeout ? parseDuration(et.idleTimeout) : undefined,
  };
}

/** Sources and operators processBatch never see: sources get no input. */
export const noInput = (): never => {
  throw new Error('A source has no input');
};
