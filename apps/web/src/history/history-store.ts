import { create } from 'zustand';
import { notifyError } from '../state/notice-store';
import { revisionsApi, type Revision, type RevisionSummary } from './revisions-api';

interface HistoryState {
  open: boolean;
  pipelineId: string | null;
  revisions: RevisionSummary[];
  /** The two revisions compared: `a` the older side, `b` the newer. */
  a: number | null;
  b: number | null;
  docs: Record<number, Revision>;
  view: 'canvas' | 'json';
  show(pipelineId: string): Promise<void>;
  close(): void;
  pick(side: 'a' | 'b', revision: number): Promise<void>;
  setView(view: 'canvas' | 'json'): void;
}

async function fetchDoc(pipelineId: string, revision: number): Promise<void> {
  if (useHistory.getState().docs[revision]) return;
  const r = await revisionsApi.get(pipelineId, revision);
  useHistory.setState((s) => ({ docs: { ...s.docs, [revision]: r } }));
}

/** The History panel: a pipeline's saved revisions and the pair being compared. */
export const useHistory = create<HistoryState>((set, get) => ({
  open: false,
  pipelineId: null,
  revisions: [],
  a: null,
  b: null,
  docs: {},
  view: 'canvas',
  show: async (pipelineId) => {
    set({ open: true, pipelineId, revisions: [], docs: {}, a: null, b: null });
    try {
      const revisions = await revisionsApi.list(pipelineId);
      const b = revisions[0]?.revision ?? null;
      const a = revisions[1]?.revision ?? b;
      set({ revisions, a, b });
      await Promise.all([a, b].filter((r): r is number => r !== null).map((r) => fetchDoc(pipelineId, r)));
    } catch (err) {
      notifyError(err);
    }
  },
  close: () => set({ open: false }),
  pick: async (side, revision) => {
    set({ [side]: revision } as Pick<HistoryState, 'a' | 'b'>);
    const id = get().pipelineId;
    if (id) await fetchDoc(id, revision).catch(notifyError);
  },
  setView: (view) => set({ view }),
}));
