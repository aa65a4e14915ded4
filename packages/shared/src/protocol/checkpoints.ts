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
  /**
   * Per node: kind, snapshot size in bytes and, for kinds that restore state or offsets,
   * the fingerprint of what that state means (canonical JSON of the params that define it,
   * see the kind's stateFingerprint). A restore keeps a node only when it is unchanged.
   * Checkpoints written before fingerprints existed have none.
   */
  nodes: Record<string, CheckpointNode>;
}

export interface CheckpointNode { kind: string; bytes: number; fingerprint?: string }

/** What a deploy from a checkpoint does with each node's state. */
export type RestoreAction = 'kept' | 'reset' | 'dropped';

export interface RestorePlan {
  /** The checkpoint or savepoint restored from; null = a fresh start. */
  checkpointId: number | null;
  checkpointKind: CheckpointInfo['kind'] | null;
  /**
   * kept: same id, kind and state fingerprint: state and offsets restored; reset: new, kind
   * changed or what its state means changed (the reason names it): starts empty; dropped: no
   * longer in the document.
   */
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
