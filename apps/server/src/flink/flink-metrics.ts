import { noCheckpoints, type CheckpointMetrics, type NodeMetrics, type PipelineMetrics, type PipelineState } from '@eddy/shared';
import { getJson } from '../local/processes.js';
import type { VertexFigures } from './job-watcher.js';

/**
 * Flink's figures in Eddy's shapes: per-vertex figures become per-node metrics (the socket's
 * `metrics` event), Flink's checkpoint statistics the pipeline's checkpoint figures, Flink's job
 * state a pipeline state.
 */

const NO_LATENCY = { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0, totalCount: 0, totalMs: 0 };

/** Each node's first upstream node (from the document's edges), to place nodes Flink inlined. */
export function upstreamOf(doc: { edges: { from: string; to: string }[] }): Record<string, string> {
  const up: Record<string, string> = {};
  for (const e of doc.edges) up[e.to] ??= e.from;
  return up;
}

/**
 * Per-node metrics from per-vertex figures. A vertex names the sources, windows, joins, dedupes
 * and sinks it runs; a node it does not name (a filter, map or lookup Flink inlined into a view
 * and chained into an operator) runs in the vertex of its nearest upstream node that has one.
 * Every node of a vertex that runs several shows the vertex's figures, marked shared. `figures`
 * are in Flink's order of the job's vertices (upstream first).
 */
export function nodeMetricsOf(figures: VertexFigures[], nodeIds: string[], upstream: Record<string, string>, now = Date.now()): Record<string, NodeMetrics> {
  // Flink lists vertices upstream first; a node named by two (a window's LocalWindowAggregate and
  // GlobalWindowAggregate) is placed in the later one, which emits its results.
  const vertexOf = new Map<string, VertexFigures>();
  for (const f of figures) for (const id of f.nodes) vertexOf.set(id, f);
  const resolve = (id: string): VertexFigures | undefined => {
    const seen = new Set<string>();
    for (let at: string | undefined = id; at && !seen.has(at); at = upstream[at]) {
      seen.add(at);
      const v = vertexOf.get(at);
      if (v) return v;
    }
    return undefined;
  };
  const placed = new Map<string, VertexFigures>();
  for (const id of nodeIds) {
    const v = resolve(id);
    if (v) placed.set(id, v);
  }
  const members = new Map<string, string[]>();
  for (const [id, v] of placed) members.set(v.vertexId, [...(members.get(v.vertexId) ?? []), id]);
  const out: Record<string, NodeMetrics> = {};
  for (const [id, v] of placed) {
    const nodes = members.get(v.vertexId)!;
    out[id] = {
      recordsIn: v.recordsIn, recordsOut: v.recordsOut, ratePerSec: v.ratePerSec, ratePerSecIn: v.ratePerSecIn, latencyMs: { ...NO_LATENCY },
      watermark: v.watermark, watermarkLagMs: v.watermark === null ? null : Math.max(0, now - v.watermark),
      lateRecords: 0, errors: 0, stateKeys: 0, stateBytes: 0, backpressure: v.backpressure,
      flinkVertex: { id: v.vertexId, name: v.vertexName.replace(/\s+/g, ' ').slice(0, 200), shared: nodes.length > 1, nodes },
    };
  }
  return out;
}

interface FlinkCheckpointStats {
  counts?: { completed?: number; failed?: number };
  latest?: { completed?: { id?: number; latest_ack_timestamp?: number; end_to_end_duration?: number; state_size?: number; checkpointed_size?: number } | null };
}

/** GET /jobs/:id/checkpoints as Eddy's checkpoint figures (none when Flink does not answer). */
export async function checkpointMetrics(restUrl: string, jobId: string): Promise<CheckpointMetrics> {
  const stats = await getJson<FlinkCheckpointStats>(`${restUrl}/jobs/${jobId}/checkpoints`).catch(() => undefined);
  const last = stats?.latest?.completed ?? undefined;
  return {
    ...noCheckpoints(),
    count: stats?.counts?.completed ?? 0,
    failed: stats?.counts?.failed ?? 0,
    ...(last?.id !== undefined && {
      lastId: last.id, lastAt: last.latest_ack_timestamp ?? null, lastDurationMs: last.end_to_end_duration ?? null,
      lastSizeBytes: last.state_size ?? last.checkpointed_size ?? null,
    }),
  };
}

export function pipelineMetrics(pipelineId: string, nodes: Record<string, NodeMetrics>, checkpoints: CheckpointMetrics, at = Date.now()): PipelineMetrics {
  return { pipelineId, at, nodes, deadLetters: 0, checkpoints, engine: 'flink' };
}

/** Flink's job state as Eddy's pipeline state (a job Flink no longer knows is stopped). */
export function pipelineStateOf(flinkState: string): PipelineState {
  switch (flinkState) {
    case 'FINISHED': return 'finished';
    case 'FAILED': return 'failed';
    case 'CANCELED': case 'SUSPENDED': case 'GONE': return 'stopped';
    case 'RESTARTING': return 'restarting';
    default: return 'running'; // INITIALIZING, CREATED, RUNNING, FAILING, CANCELLING, RECONCILING, UNKNOWN (not answering)
  }
}
