import { create } from 'zustand';
import { diffDocuments, sameBehaviour, type EdgeCapture, type PipelineDocument, type PreviewResult } from '@eddy/shared';
import { call } from '../api/client';
import { notifyError } from '../state/notice-store';
import { edgeKey, useEditor } from '../state/editor-store';

type Records = Record<string, unknown>[];
export interface SinkCapture { kind: string; count: number; records: Records }

interface PreviewRunState {
  /** The summary dialog is open. */
  open: boolean;
  busy: boolean;
  result: PreviewResult | null;
  /** The document the result came from: the overlay holds while the canvas would still run the same. */
  ranOn: PipelineDocument | null;
  /** What each canvas edge carried, by the canvas' edge key (`from:port->to:port`). */
  byEdge: Record<string, EdgeCapture>;
  /** `edge:<key>` or `sink:<id>`: whose records the summary dialog shows. */
  picked: string | null;
  run(doc: PipelineDocument, seconds?: number): Promise<void>;
  pick(key: string): void;
  showSummary(): void;
  close(): void;
  /** Removes the overlay from the canvas (the result is stale or no longer wanted). */
  clear(): void;
}

export const captureKey = (e: EdgeCapture) => edgeKey({ from: e.from, fromPort: e.fromPort, to: e.to, toPort: e.toPort });

/** The records a pick names: an edge's by its key, a sink's by its id. */
export function pickedRecords(result: PreviewResult | null, byEdge: Record<string, EdgeCapture>, picked: string | null): Records {
  if (!result || !picked) return [];
  return picked.startsWith('sink:') ? result.sinks[picked.slice(5)]?.records ?? [] : byEdge[picked.slice(5)]?.records ?? [];
}

/** One line on what the run did: still running, or how long it ran and that no sink was written. */
export function previewStatus(busy: boolean, result: PreviewResult | null): string {
  if (busy) return 'Running on a sample of the sources, sinks captured…';
  if (!result) return '';
  return `${result.state === 'finished' ? 'Sources ran out' : 'Sampled'} after ${(result.ranMs / 1000).toFixed(1)} s — no sink was written${result.error ? ` · failed: ${result.error}` : ''}`;
}

export const rowsLabel = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

const cleared = { result: null, ranOn: null, byEdge: {}, picked: null, open: false };

/**
 * The last preview run of the canvas' document (nothing deployed, no sink touched), shown on
 * the canvas: a count on each edge, what each sink would receive, rows in the drawer.
 */
export const usePreviewRun = create<PreviewRunState>((set) => ({
  busy: false,
  ...cleared,
  run: async (document, seconds = 3) => {
    set({ ...cleared, busy: true });
    try {
      const result = await call<PreviewResult>('POST', '/api/preview', { document, seconds, limit: 20 });
      if (!sameBehaviour(diffDocuments(document, useEditor.getState().doc))) return; // edited while it ran: stale already
      const byEdge = Object.fromEntries(result.edges.map((e) => [captureKey(e), e]));
      const firstSink = Object.keys(result.sinks)[0];
      set({ result, ranOn: document, byEdge, picked: firstSink ? `sink:${firstSink}` : result.edges.length ? `edge:${captureKey(result.edges[0])}` : null });
    } catch (err) {
      notifyError(err);
    } finally {
      set({ busy: false });
    }
  },
  pick: (picked) => set({ picked }),
  showSummary: () => set({ open: true }),
  close: () => set({ open: false }),
  clear: () => set(cleared),
}));

// An edit that changes what would run makes the preview stale (moving a node or renaming does not);
// opening another document always does.
useEditor.subscribe((now, before) => {
  const { ranOn } = usePreviewRun.getState();
  if (!ranOn) return;
  if (now.loads !== before.loads || (now.doc !== before.doc && !sameBehaviour(diffDocuments(ranOn, now.doc)))) usePreviewRun.getState().clear();
});
