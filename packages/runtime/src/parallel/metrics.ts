import type { LatencySummary, ModelMetrics, ModelQuality, NodeMetrics, SubtaskMetrics } from '@eddy/shared';

const EMPTY_LATENCY: LatencySummary = { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0, totalCount: 0, totalMs: 0 };

/**
 * A node's figures over its subtasks, as Flink's job graph shows a vertex: counts, rates and
 * state add up; the watermark is the lowest (what the node as a whole has reached);
 * backpressure and latency percentiles are the worst subtask's (percentiles of different
 * histograms do not add). Each subtask's own figures stay beside, for the subtask view.
 */
export function combineSubtaskMetrics(parts: (NodeMetrics | undefined)[], wallNow: number): NodeMetrics {
  const present = parts.filter((p): p is NodeMetrics => !!p);
  const sum = (f: (m: NodeMetrics) => number) => present.reduce((a, m) => a + f(m), 0);
  const max = (f: (m: NodeMetrics) => number) => present.reduce((a, m) => Math.max(a, f(m)), 0);
  const wms = present.map((m) => m.watermark);
  const watermark = !present.length || wms.some((w) => w === null) ? null : Math.min(...(wms as number[]));
  const latency: LatencySummary = present.length ? {
    p50: max((m) => m.latencyMs.p50), p95: max((m) => m.latencyMs.p95), p99: max((m) => m.latencyMs.p99),
    p999: max((m) => m.latencyMs.p999), max: max((m) => m.latencyMs.max), count: sum((m) => m.latencyMs.count),
    totalCount: sum((m) => m.latencyMs.totalCount), totalMs: sum((m) => m.latencyMs.totalMs),
  } : EMPTY_LATENCY;
  const subtasks: SubtaskMetrics[] = parts.map((m) => ({
    recordsIn: m?.recordsIn ?? 0, recordsOut: m?.recordsOut ?? 0, ratePerSec: m?.ratePerSec ?? 0,
    backpressure: m?.backpressure ?? 0, watermark: m?.watermark ?? null, stateKeys: m?.stateKeys ?? 0,
  }));
  return {
    recordsIn: sum((m) => m.recordsIn), recordsOut: sum((m) => m.recordsOut),
    ratePerSec: sum((m) => m.ratePerSec), ratePerSecIn: sum((m) => m.ratePerSecIn),
    latencyMs: latency, watermark, watermarkLagMs: watermark === null ? null : wallNow - watermark,
    lateRecords: sum((m) => m.lateRecords), errors: sum((m) => m.errors),
    stateKeys: sum((m) => m.stateKeys), stateBytes: sum((m) => m.stateBytes), backpressure: max((m) => m.backpressure),
    subtasks,
    ...(present.some((m) => m.model) && { model: combineModelMetrics(present.flatMap((m) => (m.model ? [m.model] : []))) }),
  };
}

/**
 * A score node's model figures over its subtasks. Each subtask keeps its own recent records,
 * so the node's figures are approximations: agreement, mean |diff|, AUC and log-loss are the
 * subtasks' averages weighted by their counts; p50/p95 |diff| and each PSI the worst subtask's
 * (as latency percentiles, they do not add).
 */
export function combineModelMetrics(parts: ModelMetrics[]): ModelMetrics {
  const weighted = (value: (m: ModelMetrics) => number | null, weight: (m: ModelMetrics) => number): number | null => {
    let sum = 0;
    let total = 0;
    for (const m of parts) { const v = value(m); if (v !== null && weight(m) > 0) { sum += v * weight(m); total += weight(m); } }
    return total ? sum / total : null;
  };
  const worst = (value: (m: ModelMetrics) => number | null): number | null =>
    parts.reduce<number | null>((a, m) => { const v = value(m); return v === null ? a : Math.max(a ?? v, v); }, null);
  const quality = (q: (m: ModelMetrics) => ModelQuality | null): ModelQuality => ({
    auc: weighted((m) => q(m)?.auc ?? null, (m) => m.labelled), logLoss: weighted((m) => q(m)?.logLoss ?? null, (m) => m.labelled),
  });
  const drifts = parts.filter((m) => m.drift);
  const drift: Record<string, number> = {};
  for (const m of drifts) for (const [c, v] of Object.entries(m.drift!)) drift[c] = Math.max(drift[c] ?? v, v);
  return {
    compared: parts.reduce((a, m) => a + m.compared, 0),
    agreement: weighted((m) => m.agreement, (m) => m.compared),
    meanAbsDiff: weighted((m) => m.meanAbsDiff, (m) => m.compared),
    p50AbsDiff: worst((m) => m.p50AbsDiff),
    p95AbsDiff: worst((m) => m.p95AbsDiff),
    labelled: parts.reduce((a, m) => a + m.labelled, 0),
    champion: quality((m) => m.champion),
    challenger: parts.some((m) => m.challenger) ? quality((m) => m.challenger) : null,
    ...(drifts.length && { drift, drifting: drifts.some((m) => m.drifting) }),
  };
}
