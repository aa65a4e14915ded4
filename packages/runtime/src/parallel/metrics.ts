import type { LatencySummary, NodeMetrics, SubtaskMetrics } from '@eddy/shared';

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
  };
}
