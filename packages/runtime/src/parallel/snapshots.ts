import { deserialize, serialize } from 'node:v8';
import type { PipelineDocument, RestorePlan } from '@eddy/shared';
import { checkpointNodesOf, type LoadedCheckpoint, type NodeSnapshot } from '../core/checkpoint-coordinator.js';
import type { NodeSnapshotFile } from '../checkpoint/checkpoint-store.js';
import type { ParallelPlan } from './plan.js';
import { rescaleSnapshots } from './rescale.js';

/**
 * A node run by N subtasks is checkpointed as the N snapshots of its instances (index =
 * subtask); a node run once (parallelism 1, or a source or sink of a parallel job) as one.
 */
interface TaskSnapshots { subtasks: Uint8Array[] }

const isTaskSnapshots = (v: unknown): v is TaskSnapshots => typeof v === 'object' && v !== null && Array.isArray((v as TaskSnapshots).subtasks);

/** The checkpoint files of the subtasks' nodes (each instance's v8-serialized NodeSnapshot). */
export function encodeTaskSnapshots(task: Map<string, Uint8Array[]>, document: PipelineDocument): NodeSnapshotFile[] {
  const entries = checkpointNodesOf(document);
  return [...task].map(([nodeId, subtasks]) => ({
    nodeId, kind: entries[nodeId].kind, fingerprint: entries[nodeId].fingerprint, data: serialize({ subtasks } satisfies TaskSnapshots),
  }));
}

/** A node's snapshots as stored: one per instance it ran as. */
export function instancesOf(data: Buffer): NodeSnapshot[] {
  const value = deserialize(data) as NodeSnapshot | TaskSnapshots;
  return isTaskSnapshots(value) ? value.subtasks.map((s) => deserialize(s) as NodeSnapshot) : [value];
}

/**
 * What each thread of a job at `plan.parallelism` restores: a host node its one snapshot,
 * each subtask its instance of every kept node — re-partitioned by key group when the
 * checkpoint was taken at another parallelism.
 */
export function restoreSnapshots(checkpoint: LoadedCheckpoint | null, restorePlan: RestorePlan, document: PipelineDocument, plan: ParallelPlan | null):
  { host: Map<string, NodeSnapshot>; task: Map<string, Uint8Array[]> } {
  const host = new Map<string, NodeSnapshot>();
  const task = new Map<string, Uint8Array[]>();
  if (!checkpoint) return { host, task };
  const onHost = new Set(plan?.hostNodes ?? []);
  for (const step of restorePlan.nodes) {
    if (step.action !== 'kept') continue;
    const stored = checkpoint.nodes.get(step.nodeId)!;
    const instances = instancesOf(stored.data);
    const parallelism = plan && !onHost.has(step.nodeId) ? plan.parallelism : 1;
    const node = document.nodes.find((n) => n.id === step.nodeId)!;
    const fitted = instances.length === parallelism ? instances : rescaleSnapshots(node, instances, parallelism);
    if (parallelism === 1 && (!plan || onHost.has(step.nodeId))) host.set(step.nodeId, fitted[0]);
    else task.set(step.nodeId, fitted.map((s) => new Uint8Array(serialize(s))));
  }
  return { host, task };
}
