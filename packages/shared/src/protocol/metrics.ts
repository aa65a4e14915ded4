import type { CheckpointMetrics } from './checkpoints.js';

/**
 * Latency percentiles in milliseconds (from an HDR histogram over the last 5–10 s, `count` records);
 * `totalCount` and `totalMs` add up every record since the run started (Prometheus' `_count`, `_sum`).
 */
export interface LatencySummary { p50: number; p95: number; p99: number; p999: number; max: number; count: number; totalCount: number; totalMs: number }

/** Live figures of one node; the same shape in REST, socket events and `eddy run`. */
export interface NodeMetrics {
  recordsIn: number;
  recordsOut: number;
  /** Records out per second over the last second (records in, for sinks). */
  ratePerSec: number;
  ratePerSecIn: number;
  /** Time from the source emitting a record to this node handling it. */
  latencyMs: LatencySummary;
  /** Event-time watermark (epoch ms) this node has reached; null before the first one. */
  watermark: number | null;
  /** Wall-clock now minus watermark, ms; null before the first watermark. */
  watermarkLagMs: number | null;
  lateRecords: number;
  errors: number;
  stateKeys: number;
  stateBytes: number;
  /** Share of the last second a node's output waited on downstream (0..1). */
  backpressure: number;
  /**
   * On Flink: the vertex whose figures these are. Flink chains operators into one vertex and
   * inlines views, so `shared` says the vertex runs other Eddy nodes too (the figures are the vertex's).
   */
  flinkVertex?: FlinkVertexRef;
  /**
   * With settings.parallelism > 1: the figures of each subtask (index = subtask), as Flink's
   * subtask view; the node's own figures are their sum (watermark: the minimum). A skewed key
   * shows as one subtask with most of the records.
   */
  subtasks?: SubtaskMetrics[];
  /** Score nodes with a challenger, labels or drift: how the models do (docs/models.md). */
  model?: ModelMetrics;
}

/**
 * A score node's model figures. Shadow figures cover the last 10,000 records both models
 * scored; AUC and log-loss the last 10,000 labelled records. null: nothing to compute from yet.
 */
export interface ModelMetrics {
  /** Records both models scored (neither NULL), since the run started. */
  compared: number;
  /** Share (0..1) where they agree: same class at the threshold, or for regressions |diff| ≤ tolerance × max(1, |champion|). */
  agreement: number | null;
  meanAbsDiff: number | null;
  p50AbsDiff: number | null;
  p95AbsDiff: number | null;
  /** Scored records a label reached in time, since the run started. */
  labelled: number;
  champion: ModelQuality;
  /** null without a challenger. */
  challenger: ModelQuality | null;
  /** With `drift`: PSI per feature and for the score (keyed by the `output` field); absent until the reference is ready. */
  drift?: Record<string, number>;
  /** Whether any PSI is above driftThreshold. */
  drifting?: boolean;
}

/** Against labels: ROC AUC (null until both classes were seen) and mean log-loss (probabilities clipped to [1e-15, 1 − 1e-15]). */
export interface ModelQuality { auc: number | null; logLoss: number | null }

export interface SubtaskMetrics {
  recordsIn: number;
  recordsOut: number;
  ratePerSec: number;
  backpressure: number;
  watermark: number | null;
  stateKeys: number;
}

export interface FlinkVertexRef { id: string; name: string; shared: boolean; nodes: string[] }

/** A deployment on Apache Flink, as status events and GET …/status carry it. */
export interface FlinkJobInfo {
  jobId: string;
  /** Flink's job state: INITIALIZING, RUNNING, FINISHED, FAILED, CANCELED… (UNKNOWN when Flink does not answer). */
  state: string;
  /** The job in Flink's Web UI. */
  webUrl: string;
  /** Where stop-with-savepoint wrote the savepoint. */
  savepoint?: string;
  deployedAt: string;
}

export interface PipelineMetrics {
  pipelineId: string;
  /** Wall-clock ms of this snapshot. */
  at: number;
  nodes: Record<string, NodeMetrics>;
  deadLetters: number;
  checkpoints: CheckpointMetrics;
  /** 'flink' when the figures come from Flink's REST API (absent: the embedded engine). */
  engine?: 'flink';
}

/** `restarting`: the job failed and waits to restart from its latest checkpoint (settings.restart). */
export type PipelineState = 'running' | 'restarting' | 'stopped' | 'finished' | 'failed';

export interface PipelineStatus {
  pipelineId: string;
  state: PipelineState;
  startedAt: number | null;
  endedAt: number | null;
  /** Set when state is 'failed' or 'restarting': what failed, naming the node. */
  error: string | null;
  revision: number | null;
  /** Restarts since the last deploy by the user (absent or null: none). */
  restart?: RestartStatus | null;
  /** Where it runs: absent or 'embedded', or 'flink' (then `flink` says which job). */
  target?: 'embedded' | 'flink';
  flink?: FlinkJobInfo;
}

/** GET /api/flink: whether deploys to Flink are possible from this server. */
export interface FlinkAvailability {
  configured: boolean;
  gatewayUrl: string | null;
  /** Flink's Web UI (and REST API), when known. */
  webUrl: string | null;
  reachable: boolean;
  /** Why a deploy to Flink is not possible now (null when it is). */
  reason: string | null;
}

export interface RestartStatus {
  /** Restarts so far (the one waiting, while restarting). */
  attempt: number;
  /** Restarts allowed before failing for good (null: no limit). */
  maxAttempts: number | null;
  /** Wall-clock ms of the next restart while restarting, else null. */
  nextAttemptAt: number | null;
  /** The error of the last failure, naming the node. */
  lastError: string;
}

export interface DeadLetter {
  nodeId: string;
  reason: string;
  record: unknown;
  at: number;
}
