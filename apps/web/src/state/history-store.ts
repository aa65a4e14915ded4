import type { PipelineMetrics } from '@eddy/shared';

/**
 * The last five minutes of metrics snapshots, for the dashboard charts. Not a zustand store:
 * charts read it on each tick through `onHistory`, so nothing else re-renders.
 */
const MAX = 300;
let snapshots: PipelineMetrics[] = [];
const listeners = new Set<() => void>();

export function recordMetrics(m: PipelineMetrics): void {
  snapshots = snapshots.length >= MAX ? [...snapshots.slice(1), m] : [...snapshots, m];
  for (const l of listeners) l();
}

export function clearHistory(): void {
  snapshots = [];
  for (const l of listeners) l();
}

export const history = (): PipelineMetrics[] => snapshots;

export function onHistory(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
