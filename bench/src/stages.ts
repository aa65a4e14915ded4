import type { Row } from './aggregators.js';
import type { Workload } from './workloads.js';

export type Step = (r: Row) => Row | undefined;
/** A workload's stages as one function (undefined: dropped), so the loop does not dispatch on stage kinds per record. */
export function compileStages(stages: Workload['stages'], from = 0): Step | null {
  if (from >= stages.length) return null;
  const s = stages[from];
  const next = compileStages(stages, from + 1);
  if ('filter' in s) {
    const f = s.filter;
    return next ? (r) => (f(r) ? next(r) : undefined) : (r) => (f(r) ? r : undefined);
  }
  const m = s.map;
  return next ? (r) => next(m(r)) : m;
}

