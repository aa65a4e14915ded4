import { serialize } from 'node:v8';
import { noCheckpoints, type CheckpointInfo, type PipelineDocument } from '@eddy/shared';
import type { JobOptions } from '../api.js';
import type { BuiltNode } from '../core/node-builder.js';
import type { NodeRuntime } from '../core/node-runtime.js';
import type { ReconvergeQueue } from '../core/reconverge.js';
import { allDone, andThen, OneAtATime, type Mailbox, type MaybePromise } from '../core/async.js';
import { nodeError } from '../core/node-error.js';
import { redactSecrets } from '../core/redact.js';
import type { NodeSnapshot } from '../core/checkpoint-coordinator.js';
import type { NodeSnapshotFile } from '../checkpoint/checkpoint-store.js';
import type { SourceSnapshot } from '../checkpoint/types.js';
import { END_BARRIER } from './subtask.js';
import { encodeTaskSnapshots } from './snapshots.js';
import type { PieceReader } from './piece-reader.js';
import type { SubtaskThreads } from './subtask-threads.js';

interface PendingBarrier { waiting: number; parts: NodeSnapshotFile[]; task: Map<string, Uint8Array[]>; resolve: () => void; reject: (err: unknown) => void }

/** What the barriers of a parallel job need of it (its host thread). */
export interface BarrierHost {
  readonly document: PipelineDocument;
  readonly options: JobOptions;
  readonly hostNodes: Map<string, BuiltNode>;
  readonly threads: SubtaskThreads;
  readonly mailbox: Mailbox;
  readonly reconverge: ReconvergeQueue;
  readonly pieces: PieceReader;
  readonly splitSources: string[];
  readonly fingerprints: CheckpointInfo['nodes'];
  wallClock(): number;
  /** A source's offset and watermark state now (one read on this thread, or a source read in pieces). */
  sourceSnapshot(nodeId: string): SourceSnapshot | undefined;
  fail(err: unknown): Promise<void>;
}

/**
 * A parallel job's barriers: checkpoints and the end of input (barrier 0), each started at
 * every source and settled once every node of every thread has it (aligned, as Flink's); one
 * checkpoint holds the host's snapshots and every subtask's.
 */
export class ParallelBarriers {
  readonly stats = noCheckpoints();
  nextCheckpoint = 1;
  private readonly barriers = new Map<number, PendingBarrier>();
  private readonly inFlight = new OneAtATime<CheckpointInfo | null>();

  constructor(private readonly job: BarrierHost) {}

  get busy(): boolean {
    return this.inFlight.busy;
  }

  settled(): Promise<void> {
    return this.inFlight.settled();
  }

  /** A failed job: every barrier in flight fails with it. */
  rejectAll(error: Error): void {
    for (const p of this.barriers.values()) p.reject(error);
  }

  /** Starts barrier `id` at every source and settles once every node of every thread has it. */
  run(id: number): Promise<PendingBarrier> {
    const { hostNodes, threads, mailbox, pieces } = this.job;
    const pending: PendingBarrier = { waiting: hostNodes.size + threads.count, parts: [], task: new Map(), resolve: () => undefined, reject: () => undefined };
    const settled = new Promise<PendingBarrier>((resolve, reject) => { pending.resolve = () => resolve(pending); pending.reject = reject; });
    this.barriers.set(id, pending);
    const injected = mailbox.run(() => {
      const results: MaybePromise[] = [];
      for (const n of hostNodes.values()) {
        if (!n.source) continue;
        if (!this.job.splitSources.includes(n.id)) { results.push(n.runtime.receiveBarrier(id, -1)); continue; }
        // After the pieces cut so far, in every subtask and here (once delivered: not awaited here).
        pieces.barrier(n.id, id, () => { Promise.resolve(n.runtime.receiveBarrier(id, -1)).catch((err) => pending.reject(err)); });
      }
      return andThen(allDone(results), () => this.job.reconverge.drainAll());
    });
    Promise.resolve(injected).catch((err) => pending.reject(err));
    return settled.finally(() => this.barriers.delete(id));
  }

  /** A barrier passed a node of the host thread (a source or a sink): its snapshot. */
  onHostBarrier(node: NodeRuntime, id: number): MaybePromise {
    const pending = this.barriers.get(id);
    if (!pending) return;
    const built = this.job.hostNodes.get(node.id)!;
    const count = () => { if (--pending.waiting === 0) pending.resolve(); };
    if (id === END_BARRIER) return count();
    // The offset now, at the barrier: pieces delivered while the operator snapshots come after it.
    const source = this.job.sourceSnapshot(node.id);
    return (async () => {
      try {
        const operator = await built.code.onCheckpoint?.({ id, timestamp: this.job.wallClock() });
        const snapshot: NodeSnapshot = { watermarks: node.snapshotWatermarks(), state: built.state.exportState(), operator, source };
        pending.parts.push({ nodeId: built.id, kind: built.kind, fingerprint: this.job.fingerprints[built.id].fingerprint, data: serialize(snapshot) });
        count();
      } catch (err) {
        const failure = nodeError(built.id, built.kind, err, `checkpoint ${id} failed`);
        pending.reject(failure);
        throw failure;
      }
    })();
  }

  /** Subtask k has barrier `id` through all its nodes, with their snapshots. */
  onTaskBarrier(k: number, id: number, nodes: [string, Uint8Array][]): void {
    const pending = this.barriers.get(id);
    if (!pending) return;
    for (const [nodeId, data] of nodes) {
      const list = pending.task.get(nodeId) ?? new Array<Uint8Array>(this.job.threads.count);
      list[k] = data;
      pending.task.set(nodeId, list);
    }
    if (--pending.waiting === 0) pending.resolve();
  }

  /** One checkpoint after the one in flight (if any). */
  trigger(kind: CheckpointInfo['kind']): Promise<CheckpointInfo | null> {
    return this.inFlight.run(() => this.take(kind));
  }

  /** One aligned checkpoint over every thread; null when it failed (a node failing its snapshot fails the job). */
  private async take(kind: CheckpointInfo['kind']): Promise<CheckpointInfo | null> {
    const { options, threads, mailbox, hostNodes } = this.job;
    const store = options.checkpoints!;
    const id = this.nextCheckpoint++;
    const timestamp = this.job.wallClock();
    const startedAt = performance.now();
    let pending: PendingBarrier;
    try {
      pending = await this.run(id);
    } catch (err) {
      this.stats.failed++;
      (options.log ?? console.error)(redactSecrets((err as Error).message));
      void this.job.fail(err);
      return null;
    }
    const parts = [...pending.parts, ...encodeTaskSnapshots(pending.task, this.job.document)];
    let info: CheckpointInfo;
    try {
      info = await store.write({ id, kind, timestamp, startedAt }, parts);
    } catch (err) {
      this.stats.failed++;
      (options.log ?? console.error)(`checkpoint ${id} failed: ${(err as Error).message}`);
      return null;
    }
    Object.assign(this.stats, { count: this.stats.count + 1, lastId: id, lastAt: timestamp, lastDurationMs: info.durationMs, lastSizeBytes: info.sizeBytes });
    threads.postAll({ t: 'complete', id });
    try {
      await mailbox.run(() => allDone([...hostNodes.values()].map((n) => {
        if (!n.code.onCheckpointComplete) return undefined;
        return (async () => {
          try { await n.code.onCheckpointComplete!(id); } catch (err) { throw nodeError(n.id, n.kind, err, `commit of checkpoint ${id} failed`); }
        })();
      })));
    } catch (err) {
      void this.job.fail(err);
    }
    return info;
  }
}
