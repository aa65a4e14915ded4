import { create } from 'zustand';
import type { DeadLetter, NodeMetrics, PipelineMetrics, PipelineStatus, RowsPayload, SubtaskMetrics } from '@eddy/shared';

/**
 * Live figures: updated every second from the socket. Kept apart from the document so a
 * tick re-renders only the components that select the figure that changed.
 */
interface LiveState {
  status: PipelineStatus | null;
  metrics: PipelineMetrics | null;
  rows: Record<string, RowsPayload>;
  deadLetters: DeadLetter[];
  setStatus(s: PipelineStatus): void;
  setMetrics(m: PipelineMetrics): void;
  setRows(r: RowsPayload): void;
  addDeadLetter(d: DeadLetter): void;
  /** The server's list (oldest first) merged with what the socket delivered, newest first. */
  mergeDeadLetters(list: DeadLetter[]): void;
  reset(): void;
}

const sameNode = (a: NodeMetrics, b: NodeMetrics): boolean =>
  a.recordsIn === b.recordsIn && a.recordsOut === b.recordsOut && a.ratePerSec === b.ratePerSec && a.ratePerSecIn === b.ratePerSecIn
  && a.latencyMs.p50 === b.latencyMs.p50 && a.latencyMs.p99 === b.latencyMs.p99 && a.watermark === b.watermark
  && a.watermarkLagMs === b.watermarkLagMs && a.lateRecords === b.lateRecords && a.errors === b.errors
  && a.stateKeys === b.stateKeys && a.stateBytes === b.stateBytes && a.backpressure === b.backpressure
  && sameSubtasks(a.subtasks, b.subtasks);

/** A subtask's figures can move while the node's sums do not (a watermark under the minimum, records shifting between subtasks). */
const sameSubtasks = (a: SubtaskMetrics[] | undefined, b: SubtaskMetrics[] | undefined): boolean =>
  a === b || (!!a && !!b && a.length === b.length && a.every((x, i) => {
    const y = b[i];
    return x.recordsIn === y.recordsIn && x.recordsOut === y.recordsOut && x.ratePerSec === y.ratePerSec
      && x.backpressure === y.backpressure && x.watermark === y.watermark && x.stateKeys === y.stateKeys;
  }));

/**
 * Each tick is a fresh object from the socket: keep the previous object of every node whose
 * figures did not change, so selectors of that node see the same value and do not re-render.
 */
export function shareUnchanged(prev: PipelineMetrics | null, next: PipelineMetrics): PipelineMetrics {
  if (!prev || prev.pipelineId !== next.pipelineId) return next;
  const nodes: Record<string, NodeMetrics> = {};
  for (const [id, m] of Object.entries(next.nodes)) nodes[id] = prev.nodes[id] && sameNode(prev.nodes[id], m) ? prev.nodes[id] : m;
  return { ...next, nodes };
}

export const useLive = create<LiveState>((set) => ({
  status: null,
  metrics: null,
  rows: {},
  deadLetters: [],
  setStatus: (status) => set({ status }),
  setMetrics: (metrics) => set((s) => ({ metrics: shareUnchanged(s.metrics, metrics) })),
  setRows: (r) => set((s) => ({ rows: { ...s.rows, [r.nodeId]: r } })),
  addDeadLetter: (d) => set((s) => ({ deadLetters: [d, ...s.deadLetters].slice(0, 200) })),
  mergeDeadLetters: (list) => set((s) => {
    const seen = new Set(s.deadLetters.map((d) => `${d.at}|${d.nodeId}|${d.reason}`));
    const older = [...list].reverse().filter((d) => !seen.has(`${d.at}|${d.nodeId}|${d.reason}`));
    return { deadLetters: [...s.deadLetters, ...older].sort((a, b) => b.at - a.at).slice(0, 200) };
  }),
  reset: () => set({ status: null, metrics: null, rows: {}, deadLetters: [] }),
}));

/** Whether the figures are live: a stopped, finished or failed run shows none as if current. */
export const isLive = (status: PipelineStatus | null): boolean => status?.state === 'running' || status?.state === 'restarting';
export const useIsLive = (): boolean => useLive((s) => isLive(s.status));

/** One node's figures while the pipeline runs; the same object while they do not change. */
/**
 * A job on Flink keeps its last figures once it ends (its totals are what Flink reports of a
 * finished job); an embedded one shows none then, so nothing reads as live when it is not.
 */
export const liveNodeMetrics = (s: Pick<LiveState, 'status' | 'metrics'>, nodeId: string): NodeMetrics | undefined =>
  (isLive(s.status) || s.status?.target === 'flink' ? s.metrics?.nodes[nodeId] : undefined);
export const useNodeMetrics = (nodeId: string): NodeMetrics | undefined => useLive((s) => liveNodeMetrics(s, nodeId));
