import type { RequestHandler } from 'express';
import type { JobManager } from '../jobs/job-manager.js';
import type { PipelineStore } from '../store/pipeline-store.js';

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** GET /metrics: the same figures in Prometheus text exposition format. */
export function prometheus(store: PipelineStore, jobs: JobManager): RequestHandler {
  return (_req, res) => {
    const lines: string[] = [
      '# HELP eddy_node_records_in_total Records a node received.', '# TYPE eddy_node_records_in_total counter',
      '# HELP eddy_node_records_out_total Records a node emitted.', '# TYPE eddy_node_records_out_total counter',
      '# HELP eddy_node_latency_ms End-to-end latency up to a node.', '# TYPE eddy_node_latency_ms summary',
      '# HELP eddy_node_watermark_ms Event-time watermark of a node.', '# TYPE eddy_node_watermark_ms gauge',
      '# HELP eddy_node_late_records_total Records that arrived after their window fired.', '# TYPE eddy_node_late_records_total counter',
    ];
    for (const p of store.list()) {
      const m = jobs.latestMetrics(p.id);
      if (!m) continue;
      for (const [node, n] of Object.entries(m.nodes)) {
        const l = `pipeline="${esc(p.id)}",node="${esc(node)}"`;
        lines.push(`eddy_node_records_in_total{${l}} ${n.recordsIn}`, `eddy_node_records_out_total{${l}} ${n.recordsOut}`);
        for (const q of ['p50', 'p95', 'p99'] as const) lines.push(`eddy_node_latency_ms{${l},quantile="0.${q.slice(1)}"} ${n.latencyMs[q]}`);
        if (n.watermark !== null) lines.push(`eddy_node_watermark_ms{${l}} ${n.watermark}`);
        lines.push(`eddy_node_late_records_total{${l}} ${n.lateRecords}`);
      }
    }
    res.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  };
}
