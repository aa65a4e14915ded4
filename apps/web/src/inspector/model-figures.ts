import type { ModelMetrics } from '@eddy/shared';

/** The inspector's model figures as display strings (a score node with a challenger, labels or drift). */
export interface ModelFigures {
  compared: string;
  agreement: string;
  diff: string;
  labelled: string;
  champion: string;
  challenger: string | null;
  drift: { feature: string; psi: string; over: boolean }[];
  drifting: boolean;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null, d = 3) => (v === null ? '—' : v.toFixed(d));
const quality = (q: { auc: number | null; logLoss: number | null }) => `AUC ${num(q.auc)} · log-loss ${num(q.logLoss)}`;

/** PSI above this is drift (the node's driftThreshold decides `drifting`; rows are marked by the same rule). */
export function modelFigures(m: ModelMetrics | undefined, threshold = 0.2): ModelFigures | null {
  if (!m) return null;
  return {
    compared: m.compared.toLocaleString('en-US'),
    agreement: pct(m.agreement),
    diff: `mean ${num(m.meanAbsDiff)} · p50 ${num(m.p50AbsDiff)} · p95 ${num(m.p95AbsDiff)}`,
    labelled: m.labelled.toLocaleString('en-US'),
    champion: quality(m.champion),
    challenger: m.challenger ? quality(m.challenger) : null,
    drift: Object.entries(m.drift ?? {}).sort(([a], [b]) => a.localeCompare(b))
      .map(([feature, psi]) => ({ feature, psi: psi.toFixed(3), over: psi > threshold })),
    drifting: m.drifting === true,
  };
}
