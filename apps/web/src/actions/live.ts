import { createLiveSocket } from '../api/live-socket';
import { useLive } from '../state/live-store';
import { clearHistory, recordMetrics } from '../state/history-store';
import { useSamples } from '../state/samples-store';

/** The live socket wired to the stores: the socket module knows no stores, this module joins them. */
const live = createLiveSocket({
  metrics: (m) => { useLive.getState().setMetrics(m); recordMetrics(m); },
  sample: (p) => useSamples.getState().add(p),
  status: (s) => useLive.getState().setStatus(s),
  rows: (r) => useLive.getState().setRows(r),
  deadLetter: (d) => useLive.getState().addDeadLetter(d),
  switched: () => {
    useLive.getState().reset();
    useSamples.getState().reset();
    clearHistory();
  },
  watchedEdges: () => useSamples.getState().watching,
});

export const watchPipeline = (pipelineId: string | null): void => live.watch(pipelineId);
export const watchEdge = (edge: string, on: boolean): void => live.watchEdge(edge, on);
export const watchRows = (nodeId: string, on: boolean): void => live.watchRows(nodeId, on);
