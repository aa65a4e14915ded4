import { deserialize, serialize } from 'node:v8';
import { fingerprintChanges, getKind, stateFingerprintOf, type CheckpointInfo, type CheckpointMetrics, type PipelineDocument, type RestorePlan } from '@eddy/shared';
import type { CheckpointStore, LoadedCheckpoint, NodeSnapshotFile } from '../checkpoint/checkpoint-store.js';
import type { KeyedStateBackend } from '../state/keyed-state.js';
import type { NodeRuntime, WatermarkSnapshot } from './node-runtime.js';
import type { SourceDriver } from './source-driver.js';
import type { SourceSnapshot } from '../checkpoint/types.js';
import type { NodeLifecycle } from './operator.js';
import { allDone, OneAtATime, type Mailbox } from './async.js';
import { nodeError } from './node-error.js';

/** What a checkpoint keeps of one node. */
export interface NodeSnapshot {
  watermarks: WatermarkSnapshot;
  state: Map<string, Map<string, unknown>>;
  /** The operator's own snapshot (onCheckpoint's result). */
  operator?: unknown;
  source?: SourceSnapshot;
}

/**
 * A node a checkpoint visits: `code` is its operator or source (onCheckpoint, onCheckpointComplete);
 * `fingerprint`: what its state means (stored with it, compared on restore).
 */
export interface Participant { id: string; kind: string; fingerprint?: string; code: NodeLifecycle; runtime: NodeRuntime; state: KeyedStateBackend; driver?: SourceDriver }

export const decodeNodeSnapshot = (data: Buffer): NodeSnapshot => deserialize(data) as NodeSnapshot;

/**
 * Takes checkpoints as Flink's asynchronous barrier snapshots, on Eddy's single mailbox:
 * the barrier is one mailbox task, so every channel between operators is empty when it
 * runs and visiting the nodes in topological order (sources first) is the barrier's walk
 * through the graph. The copy happens inside the task; writing to disk happens after it,
 * while records flow again. Only when the checkpoint is durable are sinks told to commit.
 */
export class CheckpointCoordinator {
  private nextId = 1;
  private readonly inFlight = new OneAtATime<CheckpointInfo | null>();
  private timer: NodeJS.Timeout | null = null;
  readonly stats: CheckpointMetrics = { count: 0, failed: 0, lastId: null, lastAt: null, lastDurationMs: null, lastSizeBytes: null };

  constructor(
    private readonly participants: Participant[],
    private readonly store: CheckpointStore,
    private readonly mailbox: Mailbox,
    private readonly wallClock: () => number,
    /** A node failed its part of a checkpoint (snapshot or commit): the job fails, naming it. */
    private readonly onNodeFailure: (err: unknown) => void,
    private readonly log: (line: string) => void,
  ) {}

  async init(): Promise<void> {
    this.nextId = (await this.store.lastId()) + 1;
  }

  startPeriodic(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (!this.inFlight.busy) void this.trigger('checkpoint');
    }, intervalMs);
    this.timer.unref();
  }

  stopPeriodic(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Waits for the checkpoint in flight, if any. */
  settle(): Promise<void> {
    return this.inFlight.settled();
  }

  /**
   * Takes one checkpoint; null when it failed (counted). Writing it failed: the pipeline keeps
   * running. A node failed its snapshot: the job fails, naming the node. Never rejects.
   */
  trigger(kind: CheckpointInfo['kind']): Promise<CheckpointInfo | null> {
    return this.inFlight.run(() => this.take(kind));
  }

  /** Never rejects: a checkpoint a node cannot take fails the job (through onNodeFailure), not the process. */
  private async take(kind: CheckpointInfo['kind']): Promise<CheckpointInfo | null> {
    const id = this.nextId++;
    const barrier = { id, timestamp: this.wallClock() };
    const started = performance.now();
    const parts: NodeSnapshotFile[] = [];
    let current: Participant | undefined;
    try {
      await this.mailbox.run(async () => {
        for (const p of this.participants) {
          current = p;
          const operator = await p.code.onCheckpoint?.(barrier);
          const snapshot: NodeSnapshot = {
            watermarks: p.runtime.snapshotWatermarks(), state: p.state.exportState(), operator, source: p.driver?.snapshot(),
          };
          parts.push({ nodeId: p.id, kind: p.kind, fingerprint: p.fingerprint, data: serialize(snapshot) });
        }
      });
    } catch (err) {
      this.stats.failed++;
      const failure = current ? nodeError(current.id, current.kind, err, `checkpoint ${id} failed`) : err;
      this.log((failure as Error).message);
      this.onNodeFailure(failure);
      return null;
    }
    let info: CheckpointInfo;
    try {
      info = await this.store.write({ id, kind, timestamp: barrier.timestamp, startedAt: started }, parts);
    } catch (err) {
      this.stats.failed++;
      this.log(`checkpoint ${id} failed: ${(err as Error).message}`);
      return null;
    }
    Object.assign(this.stats, { count: this.stats.count + 1, lastId: id, lastAt: barrier.timestamp, lastDurationMs: info.durationMs, lastSizeBytes: info.sizeBytes });
    try {
      await this.mailbox.run(() => allDone(this.participants.map((p) => {
        const operator = p.code;
        if (!operator.onCheckpointComplete) return undefined;
        return (async () => {
          try { await operator.onCheckpointComplete!(id); } catch (err) { throw nodeError(p.id, p.kind, err, `commit of checkpoint ${id} failed`); }
        })();
      })));
    } catch (err) {
      this.onNodeFailure(err);
    }
    return info;
  }
}

/** The checkpoint entry of each node of a document (no snapshot sizes): what the plan of a savepoint not yet taken compares with. */
export function checkpointNodesOf(document: PipelineDocument): CheckpointInfo['nodes'] {
  return Object.fromEntries(document.nodes.map((n) => {
    const fingerprint = stateFingerprintOf(getKind(n.kind), n.params);
    return [n.id, { kind: n.kind, bytes: 0, ...(fingerprint !== undefined && { fingerprint }) }];
  }));
}

/** What a node restores, in the plan's words, and what it does without it. */
function restoredThing(kind: string): [what: string, without: string] {
  const def = getKind(kind);
  if (def?.category === 'source') return ['what its offsets refer to', 'starts without offsets'];
  if (def?.stateful) return ['what its state means', 'starts empty'];
  return ['what its pending commits refer to', 'starts without them'];
}

/**
 * Whether a node whose id and kind are unchanged may load its state: only when the
 * fingerprint of what that state means is the one stored with the checkpoint. A checkpoint
 * without one (written before fingerprints) cannot prove it, so the node starts empty: a
 * window of another size or key, or an offset into another file, would corrupt results.
 */
function fingerprintVerdict(stored: CheckpointInfo['nodes'][string], node: PipelineDocument['nodes'][number]): string | null {
  const current = stateFingerprintOf(getKind(node.kind), node.params);
  if (current === undefined || stored.fingerprint === current) return null;
  const [what, without] = restoredThing(node.kind);
  if (stored.fingerprint === undefined) return `checkpoint has no state fingerprint (written by an older version), so ${what} cannot be checked: ${without}`;
  const changes = fingerprintChanges(stored.fingerprint, current);
  return `${what} changed (${changes.length ? changes.join('; ') : 'its fingerprint'}): ${without}`;
}

/** Which nodes keep, reset or drop their state when `document` starts from `checkpoint`. */
export function planRestore(checkpoint: Pick<CheckpointInfo, 'id' | 'kind' | 'nodes'> | null, document: PipelineDocument): RestorePlan {
  if (!checkpoint) {
    return { checkpointId: null, checkpointKind: null,
      nodes: document.nodes.map((n) => ({ nodeId: n.id, kind: n.kind, action: 'reset', reason: 'fresh start' })) };
  }
  const nodes: RestorePlan['nodes'] = document.nodes.map((n) => {
    const old = checkpoint.nodes[n.id];
    if (!old) return { nodeId: n.id, kind: n.kind, action: 'reset', reason: 'new node: starts empty' };
    if (old.kind !== n.kind) return { nodeId: n.id, kind: n.kind, action: 'reset', reason: `kind changed from ${old.kind}: starts empty` };
    const changed = fingerprintVerdict(old, n);
    if (changed) return { nodeId: n.id, kind: n.kind, action: 'reset', reason: changed };
    return { nodeId: n.id, kind: n.kind, action: 'kept', reason: `state and offsets from ${checkpoint.id ? `${checkpoint.kind} ${checkpoint.id}` : 'the savepoint taken when redeploying'}` };
  });
  for (const [nodeId, old] of Object.entries(checkpoint.nodes)) {
    if (!document.nodes.some((n) => n.id === nodeId)) nodes.push({ nodeId, kind: old.kind, action: 'dropped', reason: 'no longer in the pipeline: its state is discarded' });
  }
  return { checkpointId: checkpoint.id, checkpointKind: checkpoint.kind, nodes };
}

export type { LoadedCheckpoint };
