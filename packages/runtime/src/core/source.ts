import { parseDuration, type EventTimeParams } from '@eddy/shared';
import type { Rec } from './batch.js';
import type { NodeLifecycle } from './operator.js';

/** A source's event time: the field it is read from and how far records may come out of order. */
export interface SourceEventTime { field: string; maxOutOfOrdernessMs: number; idleTimeoutMs?: number }

/**
 * A node without inputs that produces records (a connector's source). It is not an
 * Operator: nothing is handed to it. The SourceDriver adds event time, watermarks and
 * batching to what it pushes.
 */
export interface SourceConnector extends NodeLifecycle {
  /** Event time configuration; undefined = ingestion time. */
  readonly eventTime: SourceEventTime | undefined;
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
  push(records: Rec[], createdAt?: number, split?: string): void | Promise<void>;
  /**
   * The splits (Kafka partitions) the source reads, each named in `push`: the source's
   * watermark is then the minimum over splits that are not idle, as Flink's per-partition
   * watermarks. A declared split holds the watermark back until it has records or is idle.
   */
  splits?(ids: string[]): void;
  /** A record that could not be parsed. */
  deadLetter(raw: unknown, reason: string): void;
}

/** A source's event-time settings from its `eventTime` param (undefined: ingestion time). */
export function sourceEventTime(et: EventTimeParams | undefined): SourceEventTime | undefined {
  return et && {
    field: et.field,
    maxOutOfOrdernessMs: parseDuration(et.maxOutOfOrderness),
    idleTimeoutMs: et.idleTimeout ? parseDuration(et.idleTimeout) : undefined,
  };
}

/** Why records could not be taken: the server turns the code into an HTTP status. */
export class IngestError extends Error {
  constructor(readonly code: 'not_found' | 'not_ingestible' | 'not_running' | 'busy', message: string) {
    super(message);
    this.name = 'IngestError';
  }
}

/** A source that takes records handed in from outside (JobHandle.ingest; the server's ingest route). */
export interface Ingestible {
  /** Resolves once the records are in the pipeline; rejects with an IngestError. */
  ingest(records: Rec[]): Promise<void>;
}

export const isIngestible = (source: SourceConnector): source is SourceConnector & Ingestible =>
  typeof (source as Partial<Ingestible>).ingest === 'function';

/** One piece of a source's input, cut on the job's thread for a subtask to parse (parallelism > 1). */
export interface SourcePiece {
  /** What the subtask parses (structured-cloneable: bytes, an index range). */
  work: unknown;
  /** At most this many records come out of it (source positions are reserved for them). */
  count: number;
  /** The source's offset once this piece and every one before it is delivered. */
  end: unknown;
  /** The split (Kafka partition) its records come from, declared with `splits`: it has a watermark of its own. */
  split?: string;
}

/**
 * A source whose kind is `splittable`: the reader (job's thread) cuts its input into pieces in
 * order; subtasks parse them. Event time and watermarks are then given on the subtasks exactly as
 * one reader would give them (parallel/piece-parser.ts).
 */
export interface PiecewiseSource {
  /**
   * Reads the input from the current offset as pieces, in order; awaits `dispatch` (backpressure).
   * `splits` declares the splits the source reads, as SourceOutput.splits (before their first piece).
   */
  readPieces(dispatch: (piece: SourcePiece) => void | Promise<void>, signal: AbortSignal, splits?: (ids: string[]) => void): Promise<void>;
  /**
   * The records of one piece, in order, and each one's index within the piece; bad input is a dead letter. Fresh arrays:
   * the caller keeps and edits them. A source whose reader does not count lines (JSON lines) gives `lines`, the piece's
   * count, and names a dead letter's line within the piece (`line`, from 1, also the raw `{ line }`): the caller numbers it
   * from where reading started once the pieces before are parsed.
   */
  parsePiece(work: unknown, deadLetter: (raw: unknown, reason: string, line?: number) => void): { records: Rec[]; at: number[]; lines?: number };
  /** Every piece up to one ending at `end` has entered the graph (a source that commits offsets elsewhere commits these). */
  piecesDelivered?(end: unknown): void;
  /** A subtask is done with its pieces: what parsePiece opened (a file) closes. */
  releasePieces?(): void;
}

export const isPiecewise = (source: SourceConnector): source is SourceConnector & PiecewiseSource =>
  typeof (source as Partial<PiecewiseSource>).readPieces === 'function';

/** The source of a node the plan reads in pieces (its kind is `splittable`, so its connector must be piecewise). */
export function piecewiseSourceOf(node: { id: string; kind: string; source?: SourceConnector }): SourceConnector & PiecewiseSource {
  if (!node.source || !isPiecewise(node.source)) throw new Error(`${node.id}: a ${node.kind} cannot be read in pieces`);
  return node.source;
}
