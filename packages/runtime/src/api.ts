import type { DeadLetter, NodeMetrics, PipelineDocument, PipelineMetrics } from '@eddy/shared';

/** What the embedding program (server or CLI) gives a job. The runtime knows no HTTP. */
export interface JobOptions {
  /** Relative file paths in sources and sinks resolve against this folder. */
  baseDir: string;
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
  /** Replaces a source node's input with these records, in order (tests, the harness). */
  inputs?: Record<string, Record<string, unknown>[]>;
  /** With `inputs`: records handed on per push (1 = strictly one by one). */
  inputChunkSize?: number;
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
  /** Stops sources, drains in-flight batches, closes operators. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the job finishes (bounded input), is stopped, or fails. */
  readonly done: Promise<JobOutcome>;
  metrics(): PipelineMetrics;
  nodeMetrics(nodeId: string): NodeMetrics | undefined;
  /** Latest rows of a sink.live node, newest first. */
  rows(nodeId: string): Record<string, unknown>[];
  deadLetters(): DeadLetter[];
  /**
   * Keyed state of a stateful node for the state view: the number of keys and the entries
   * (all of them up to `limit`, or the one `key`, matched by prefix when `prefix` is set).
   * Undefined when there is no such node.
   */
  nodeState(nodeId: string, query?: { key?: string; prefix?: string; limit?: number }): NodeState | undefined;
}

export interface NodeState {
  nodeId: string;
  keys: number;
  bytes: number;
  /** [state name, key, value] */
  entries: [string, string, unknown][];
}
