/** A completed checkpoint or savepoint, as listed by GET /api/pipelines/:id/checkpoints. */
export interface CheckpointInfo {
  id: number;
  /** A savepoint is taken on request (stop with savepoint) and is what the next deploy resumes from. */
  kind: 'checkpoint' | 'savepoint';
  /** Wall-clock ms when the barrier was injected. */
  timestamp: number;
  /** From barrier to durable on disk. */
  durationMs: number;
  sizeBytes: number;
  /** Per node: kind and snapshot size in bytes. */
  nodes: Record<string, { kind: string; bytes: number }>;
}

/** What a deploy from a checkpoint does with each node's state. */
export type RestoreAction = 'kept' | 'reset' | 'dropped';

export interface RestorePlan {
  /** The checkpoint or savepoint restored from; null = a fresh start. */
  checkpointId: number | null;
  checkpointKind: CheckpointInfo['kind'] | null;
  /** kept: same id and kind, state and offsets restored; reset: new (or kind changed), starts empty; dropped: no longer in the document. */
  nodes: { nodeId: string; kind: string; action: RestoreAction; reason: string }[];
}

/** Pipeline-level checkpoint figures in metrics. */
export interface CheckpointMetrics {
  count: number;
  failed: number;
  lastId: number | null;
  lastAt: number | null;
  lastDurationMs: number | null;
  lastSizeBytes: number | null;
}

export const noCheckpoints = (): CheckpointMetrics =>
  ({ count: 0, failed: 0, lastId: null, lastAt: null, lastDurationMs: null, lastSizeBytes: null });
