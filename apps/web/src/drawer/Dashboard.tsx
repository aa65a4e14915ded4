import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PipelineMetrics } from '@eddy/shared';
import { history, onHistory } from '../state/history-store';
import { useLive } from '../state/live-store';

const COLORS = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2', '#ca8a04', '#dc2626'];

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  /** Series names and, per snapshot, one value per series. */
  series(last: PipelineMetrics): string[];
  values(m: PipelineMetrics, names: string[]): (number | null)[];
}

const nodeIds = (m: PipelineMetrics) => Object.keys(m.nodes);
const CHARTS: ChartSpec[] = [
  { id: 'throughput', title: 'Throughput per node', unit: 'records/s', series: nodeIds, values: (m, names) => names.map((n) => m.nodes[n]?.ratePerSec ?? null) },
  { id: 'latency', title: 'Latency p50 / p99 (worst node)', unit: 'ms', series: () => ['p50', 'p99'],
    values: (m) => {
      const all = Object.values(m.nodes);
      return [Math.max(0, ...all.map((n) => n.latencyMs.p50)), Math.max(0, ...all.map((n) => n.latencyMs.p99))];
    } },
  { id: 'lag', title: 'Watermark lag per node', unit: 's', series: (m) => nodeIds(m).filter((n) => m.nodes[n].watermarkLagMs !== null),
    values: (m, names) => names.map((n) => (m.nodes[n]?.watermarkLagMs ?? null) === null ? null : m.nodes[n].watermarkLagMs! / 1000) },
  { id: 'state', title: 'State size', unit: 'KB', series: () => ['state'],
    values: (m) => [Object.values(m.nodes).reduce((a, n) => a + n.stateBytes, 0) / 1024] },
  { id: 'checkpoints', title: 'Checkpoint duration', unit: 'ms', series: () => ['last checkpoint'], values: (m) => [m.checkpoints.lastDurationMs] },
];

/** One uPlot chart, fed from the metrics history on each tick, without React re-renders. */
function Chart({ spec }: { spec: ChartSpec }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | null = null;
    let names: string[] = [];
    const draw = () => {
      const h = history();
      if (!box.current || !h.length) return;
      const next = spec.series(h[h.length - 1]);
      const data: uPlot.AlignedData = [h.map((m) => m.at / 1000), ...next.map((_n, i) => h.map((m) => spec.values(m, next)[i]))];
      if (!plot || next.join() !== names.join()) {
        plot?.destroy();
        names = next;
        plot = new uPlot({
          width: Math.max(280, box.current.clientWidth), height: 150, legend: { show: true },
          scales: { x: { time: true } },
          axes: [{}, { label: spec.unit, size: 50 }],
          series: [{}, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))],
        }, data, box.current);
      } else plot.setData(data);
    };
    draw();
    const off = onHistory(draw);
    return () => { off(); plot?.destroy(); };
  }, [spec]);
  return (
    <div className="chart" data-testid={`chart-${spec.id}`}>
      <h4>{spec.title}</h4>
      <div ref={box} />
    </div>
  );
}

/** The pipeline summary row: totals of the latest snapshot. */
function Summary() {
  const m = useLive((s) => s.metrics);
  if (!m) return <p className="muted">Deploy the pipeline to see its charts.</p>;
  const nodes = Object.values(m.nodes);
  const sources = nodes.filter((n) => n.recordsIn === 0);
  return (
    <div className="summary" data-testid="dashboard-summary">
      <span>in <strong>{sources.reduce((a, n) => a + n.recordsOut, 0).toLocaleString()}</strong></span>
      <span>rate <strong>{sources.reduce((a, n) => a + n.ratePerSec, 0).toLocaleString()}/s</strong></span>
      <span>p99 <strong>{Math.max(0, ...nodes.map((n) => n.latencyMs.p99)).toFixed(2)} ms</strong></span>
      <span>state <strong>{nodes.reduce((a, n) => a + n.stateKeys, 0).toLocaleString()} keys</strong></span>
      <span>late <strong>{nodes.reduce((a, n) => a + n.lateRecords, 0)}</strong></span>
      <span>dead letters <strong>{m.deadLetters}</strong></span>
      <span>checkpoints <strong>{m.checkpoints.count}</strong></span>
    </div>
  );
}

export function Dashboard() {
  return (
    <div className="dashboard" data-testid="dashboard">
      <Summary />
      <div className="charts">{CHARTS.map((c) => <Chart key={c.id} spec={c} />)}</div>
    </div>
  );
}
