import { create } from 'zustand';
import type { SamplePayload } from '@eddy/shared';

/** Records sampled on watched edges (newest first, 200 per edge kept), and which edges are watched. */
interface SamplesState {
  watching: string[];
  byEdge: Record<string, { records: Record<string, unknown>[]; at: number }>;
  paused: boolean;
  add(p: SamplePayload): void;
  setWatching(edges: string[]): void;
  setPaused(paused: boolean): void;
  reset(): void;
}

export const useSamples = create<SamplesState>((set) => ({
  watching: [],
  byEdge: {},
  paused: false,
  add: (p) => set((s) => {
    if (s.paused && s.watching.includes(p.edge) && !p.edge.endsWith(':late')) return s;
    const old = s.byEdge[p.edge]?.records ?? [];
    return { byEdge: { ...s.byEdge, [p.edge]: { records: [...[...p.records].reverse(), ...old].slice(0, 200), at: Date.now() } } };
  }),
  setWatching: (watching) => set({ watching }),
  setPaused: (paused) => set({ paused }),
  reset: () => set({ byEdge: {}, paused: false }),
}));
