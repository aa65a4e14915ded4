import { create } from 'zustand';
import type { PipelineDocument, PreviewResult } from '@eddy/shared';
import { call } from '../api/client';
import { notifyError } from '../state/notice-store';

interface PreviewRunState {
  open: boolean;
  busy: boolean;
  result: PreviewResult | null;
  /** `edge:<index>` or `sink:<id>`: whose records the table shows. */
  picked: string | null;
  run(doc: PipelineDocument, seconds?: number): Promise<void>;
  pick(key: string): void;
  close(): void;
}

/** The last preview run of the canvas' document (nothing deployed, no sink touched). */
export const usePreviewRun = create<PreviewRunState>((set) => ({
  open: false,
  busy: false,
  result: null,
  picked: null,
  run: async (document, seconds = 3) => {
    set({ open: true, busy: true, result: null, picked: null });
    try {
      const result = await call<PreviewResult>('POST', '/api/preview', { document, seconds, limit: 20 });
      const firstSink = Object.keys(result.sinks)[0];
      set({ result, picked: firstSink ? `sink:${firstSink}` : result.edges.length ? 'edge:0' : null });
    } catch (err) {
      notifyError(err);
      set({ open: false });
    } finally {
      set({ busy: false });
    }
  },
  pick: (picked) => set({ picked }),
  close: () => set({ open: false }),
}));
