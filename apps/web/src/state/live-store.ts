import { create } from 'zustand';
import type { DeadLetter, NodeMetrics, PipelineMetrics, PipelineStatus, RowsPayload } from '@eddy/shared';

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

export const useLive = create<LiveState>((set) => ({
  status: null,
  metrics: null,
  rows: {},
  deadLetters: [],
  setStatus: (status) => set({ status }),
  setMetrics: (metrics) => set({ metrics }),
  setRows: (r) => set((s) => ({ rows: { ...s.rows, [r.nodeId]: r } })),
  addDeadLetter: (d) => set((s) => ({ deadLetters: [d, ...s.deadLetters].slice(0, 200) })),
  mergeDeadLetters: (list) => set((s) => {
    const seen = new Set(s.deadLetters.map((d) => `${d.at}|${d.nodeId}|${d.reason}`));
    const older = [...list].reverse().filter((d) => !seen.has(`${d.at}|${d.nodeId}|${d.reason}`));
    return { deadLetters: [...s.deadLetters, ...older].sort((a, b) => b.at - a.at).slice(0, 200) };
  }),
  reset: () => set({ status: null, metrics: null, rows: {}, deadLetters: [] }),
}));

/** One node's figures; components using it re-render only when that node's figures change. */
export const useNodeMetrics = (nodeId: string): NodeMetrics | undefined => useLive((s) => s.metrics?.nodes[nodeId]);
