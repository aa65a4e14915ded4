import type { NodeMetrics } from '@eddy/shared';
import { watermarkFigure } from '../ui/format';

export const fmtRate = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(Math.round(n)));

export const fmtLag = (ms: number | null): string | null => (ms === null ? null : ms >= 86_400_000 ? `${(ms / 86_400_000).toFixed(1)}d`
  : ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)}h` : ms >= 60_000 ? `${(ms / 60_000).toFixed(1)}m` : `${(ms / 1000).toFixed(1)}s`);

/** One figure shown inside a node: its text, what it means, and a test id when tests look for it. */
export interface Figure { key: string; text: string; title: string; className?: string; testId?: string }

/**
 * A node's figures as display strings. Components compare these, not the metrics object, so a
 * tick that changes no shown figure re-renders nothing.
 */
export function nodeFigures(id: string, m: NodeMetrics | undefined, live = true): Figure[] {
  if (!m) return [];
  if (m.flinkVertex) return flinkFigures(id, m, live);
  const out: Figure[] = [{ key: 'rate', text: `${fmtRate(m.ratePerSec)}/s`, title: 'records per second (out; in for sinks)', testId: `node-rate-${id}` }];
  if (m.ratePerSecIn !== m.ratePerSec && m.recordsIn > 0) out.push({ key: 'in', text: `in ${fmtRate(m.ratePerSecIn)}/s`, title: 'records in per second' });
  out.push({ key: 'p99', text: `p99 ${m.latencyMs.p99.toFixed(m.latencyMs.p99 < 10 ? 2 : 0)} ms`, title: 'p99 latency from the source' });
  const wm = watermarkFigure(m.watermark, m.watermarkLagMs);
  if (wm) out.push({ key: 'lag', text: wm.text, title: wm.title, testId: `node-lag-${id}` });
  if (m.stateKeys > 0) out.push({ key: 'keys', text: `${fmtRate(m.stateKeys)} keys`, title: 'keys in state', testId: `node-keys-${id}` });
  if (m.lateRecords > 0) out.push({ key: 'late', text: `${m.lateRecords} late`, title: 'late records', className: 'late' });
  if (m.errors > 0) out.push({ key: 'dead', text: `${m.errors} dead`, title: 'dead letters', className: 'errors', testId: `node-errors-count-${id}` });
  return out;
}

/** The figures as one string: what a selector returns, so equal figures compare equal. */
export const figuresKey = (figures: Figure[]): string => figures.map((f) => f.text).join('\u0000');

/**
 * Figures read from Flink's REST API: those of the Flink vertex that runs the node. Flink chains
 * operators and inlines views, so several nodes may share one vertex (and its figures).
 */
function flinkFigures(id: string, m: NodeMetrics, live: boolean): Figure[] {
  const v = m.flinkVertex!;
  const out: Figure[] = [
    { key: 'records', text: `in ${fmtRate(m.recordsIn)} · out ${fmtRate(m.recordsOut)}`, title: 'records in / out (the Flink vertex\'s)', testId: `node-records-${id}` },
  ];
  // Once the job has ended only its totals stand: no rate, backpressure or lag as if live.
  if (live) out.push({ key: 'rate', text: `${fmtRate(m.ratePerSec)}/s`, title: 'records per second (out; in for sinks)', testId: `node-rate-${id}` });
  if (live && m.backpressure > 0) out.push({ key: 'bp', text: `bp ${Math.round(m.backpressure * 100)}%`, title: 'back-pressured share of time (busiest subtask)' });
  const wm = live ? watermarkFigure(m.watermark, m.watermarkLagMs) : null;
  if (wm) out.push({ key: 'lag', text: wm.text, title: wm.title, testId: `node-lag-${id}` });
  if (v.shared) out.push({ key: 'shared', text: 'shared', className: 'shared', testId: `node-shared-${id}`,
    title: `Flink runs ${v.nodes.join(', ')} in one vertex (${v.name}): these are the vertex's figures` });
  return out;
}
