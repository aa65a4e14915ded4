import type { RequestHandler } from 'express';
import type { Registry, Summary } from 'prom-client';
import type { LatencySummary, ModelMetrics, ModelQuality, NodeMetrics, PipelineMetrics, PipelineState } from '@eddy/shared';
import type { JobManager } from '../jobs/job-manager.js';
import type { PipelineStore } from '../store/pipeline-store.js';

type Labels = Record<string, string>;
type Sample = [Labels, number];

/** What one scrape reads: every pipeline's latest figures, taken once so all metrics agree. */
interface Scrape { pipelines: { id: string; state: PipelineState; metrics: PipelineMetrics | undefined }[] }

const STATES: PipelineState[] = ['running', 'stopped', 'finished', 'failed'];
const QUANTILES = [[0.5, 'p50'], [0.95, 'p95'], [0.99, 'p99'], [0.999, 'p999']] as const;

/** GET /metrics: every pipeline's figures by Prometheus' conventions (base units, `_total` counters) plus the process's defaults. */
export function prometheus(store: PipelineStore, jobs: JobManager): RequestHandler {
  // prom-client loads on the first scrape: it costs a start a few hundred ms that most runs never use.
  let registry: Promise<Registry> | undefined;
  let scrape: Scrape = { pipelines: [] };
  return async (_req, res) => {
    registry ??= import('prom-client').then((client) => eddyRegistry(client, () => scrape));
    const r = await registry;
    // Collectors run synchronously at the start of metrics(), so concurrent scrapes do not mix.
    scrape = { pipelines: store.list().map((p) => ({ id: p.id, state: jobs.state(p.id), metrics: jobs.latestMetrics(p.id) })) };
    const text = await r.metrics();
    res.type(r.contentType).send(text);
  };
}

/** A Registry with the process's default metrics and Eddy's, read from the current scrape. */
function eddyRegistry(client: typeof import('prom-client'), current: () => Scrape): Registry {
  /**
   * A summary whose quantiles the runtime already computed (an HDR histogram over the last
   * 5–10 s), with `_sum` and `_count` over the whole run, as Prometheus' client summaries are.
   */
  const RuntimeSummary = class extends client.Summary<'pipeline' | 'node' | 'quantile'> {
    constructor(private readonly metricName: string, private readonly helpText: string, register: Registry,
      private readonly read: () => [Labels, LatencySummary][]) {
      super({ name: metricName, help: helpText, labelNames: ['pipeline', 'node'], registers: [register] });
    }

    override async get() {
      const values = this.read().flatMap(([labels, l]) => [
        ...QUANTILES.map(([quantile, key]) => ({ labels: { ...labels, quantile }, value: l.count ? l[key] / 1000 : Number.NaN })),
        { metricName: `${this.metricName}_sum`, labels, value: l.totalMs / 1000 },
        { metricName: `${this.metricName}_count`, labels, value: l.totalCount },
      ]);
      // The shape prom-client's own Summary returns (its typings also ask for fields the registry never reads).
      return { name: this.metricName, help: this.helpText, type: 'summary', values, aggregator: 'sum' } as unknown as Awaited<ReturnType<Summary['get']>>;
    }
  };

  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // Gauges misnamed `_total` (prometheus/client_js#283, flagged by promtool); the per-type
  // nodejs_active_handles / _requests / _resources gauges carry the same figures.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const nodes = (): [Labels, NodeMetrics][] => current().pipelines.flatMap(({ id, metrics }) =>
    Object.entries(metrics?.nodes ?? {}).map(([node, n]): [Labels, NodeMetrics] => [{ pipeline: id, node }, n]));
  const perNode = (value: (n: NodeMetrics) => number | null) => (): Sample[] =>
    nodes().flatMap(([labels, n]) => { const v = value(n); return v === null ? [] : [[labels, v] as Sample]; });
  const perPipeline = (value: (m: PipelineMetrics) => number | null) => (): Sample[] =>
    current().pipelines.flatMap(({ id, metrics }) => { const v = metrics ? value(metrics) : null; return v === null ? [] : [[{ pipeline: id }, v] as Sample]; });

  const counter = (name: string, help: string, labelNames: string[], samples: () => Sample[]) => new client.Counter({
    name, help, labelNames, registers: [registry],
    collect() { this.reset(); for (const [labels, v] of samples()) this.inc(labels, v); },
  });
  const gauge = (name: string, help: string, labelNames: string[], samples: () => Sample[]) => new client.Gauge({
    name, help, labelNames, registers: [registry],
    collect() { this.reset(); for (const [labels, v] of samples()) this.set(labels, v); },
  });
  const node = ['pipeline', 'node'];
  const ms = (v: number | null) => (v === null ? null : v / 1000);

  counter('eddy_node_records_in_total', 'Records a node received in this run.', node, perNode((n) => n.recordsIn));
  counter('eddy_node_records_out_total', 'Records a node emitted in this run.', node, perNode((n) => n.recordsOut));
  counter('eddy_node_late_records_total', 'Records that arrived after their window fired.', node, perNode((n) => n.lateRecords));
  counter('eddy_node_errors_total', 'Records a node could not process (dead letters).', node, perNode((n) => n.errors));
  new RuntimeSummary('eddy_node_latency_seconds', 'Time from a source emitting a record to this node handling it.', registry,
    () => nodes().map(([labels, n]) => [labels, n.latencyMs]));
  gauge('eddy_node_watermark_timestamp_seconds', 'Event-time watermark a node has reached, as a Unix time.', node, perNode((n) => ms(n.watermark)));
  gauge('eddy_node_watermark_lag_seconds', 'Wall-clock time minus the watermark.', node, perNode((n) => ms(n.watermarkLagMs)));
  gauge('eddy_node_state_keys', 'Keys in a stateful node\'s state.', node, perNode((n) => n.stateKeys));
  gauge('eddy_node_state_bytes', 'Bytes of a stateful node\'s state.', node, perNode((n) => n.stateBytes));
  gauge('eddy_node_backpressure_ratio', 'Share of the last second a node\'s output waited on downstream (0..1).', node, perNode((n) => n.backpressure));

  // Score nodes with a challenger, labels or drift (docs/models.md).
  const models = (): [Labels, ModelMetrics][] => nodes().flatMap(([labels, n]) => (n.model ? [[labels, n.model] as [Labels, ModelMetrics]] : []));
  const perModel = (value: (m: ModelMetrics) => number | null) => (): Sample[] =>
    models().flatMap(([labels, m]) => { const v = value(m); return v === null ? [] : [[labels, v] as Sample]; });
  const perRole = (value: (q: ModelQuality) => number | null) => (): Sample[] => models().flatMap(([labels, m]) =>
    ([['champion', m.champion], ['challenger', m.challenger]] as const).flatMap(([role, q]) => {
      const v = q ? value(q) : null;
      return v === null ? [] : [[{ ...labels, model: role }, v] as Sample];
    }));
  counter('eddy_model_compared_total', 'Records both the champion and the challenger scored.', node, perModel((m) => m.compared));
  gauge('eddy_model_agreement_ratio', 'Share of recent records where champion and challenger agree (same class, or within tolerance).', node, perModel((m) => m.agreement));
  gauge('eddy_model_abs_diff_mean', 'Mean |champion − challenger| score over recent records.', node, perModel((m) => m.meanAbsDiff));
  gauge('eddy_model_abs_diff_p50', 'Median |champion − challenger| score over recent records.', node, perModel((m) => m.p50AbsDiff));
  gauge('eddy_model_abs_diff_p95', '95th percentile of |champion − challenger| score over recent records.', node, perModel((m) => m.p95AbsDiff));
  counter('eddy_model_labelled_total', 'Scored records a label reached in time.', node, perModel((m) => m.labelled));
  gauge('eddy_model_auc', 'ROC AUC against labels over recent labelled records.', [...node, 'model'], perRole((q) => q.auc));
  gauge('eddy_model_log_loss', 'Mean log-loss against labels over recent labelled records.', [...node, 'model'], perRole((q) => q.logLoss));
  gauge('eddy_model_psi', 'Population stability index of a feature (or the score) against the reference.', [...node, 'feature'],
    () => models().flatMap(([labels, m]) => Object.entries(m.drift ?? {}).map(([feature, v]): Sample => [{ ...labels, feature }, v])));
  gauge('eddy_model_drifting', '1 when any PSI is above the node\'s driftThreshold.', node, perModel((m) => (m.drifting === undefined ? null : m.drifting ? 1 : 0)));

  gauge('eddy_pipeline_state', 'A pipeline\'s state: 1 for the current one.', ['pipeline', 'state'],
    () => current().pipelines.flatMap(({ id, state }) => STATES.map((s): Sample => [{ pipeline: id, state: s }, s === state ? 1 : 0])));
  counter('eddy_pipeline_dead_letters_total', 'Records set aside with a reason in this run.', ['pipeline'], perPipeline((m) => m.deadLetters));
  counter('eddy_pipeline_checkpoints_total', 'Checkpoints completed in this run.', ['pipeline'], perPipeline((m) => m.checkpoints.count));
  counter('eddy_pipeline_checkpoints_failed_total', 'Checkpoints that failed in this run.', ['pipeline'], perPipeline((m) => m.checkpoints.failed));
  gauge('eddy_pipeline_last_checkpoint_timestamp_seconds', 'When the latest checkpoint completed, as a Unix time.', ['pipeline'], perPipeline((m) => ms(m.checkpoints.lastAt)));
  gauge('eddy_pipeline_last_checkpoint_duration_seconds', 'How long the latest checkpoint took.', ['pipeline'], perPipeline((m) => ms(m.checkpoints.lastDurationMs)));
  gauge('eddy_pipeline_last_checkpoint_size_bytes', 'Size of the latest checkpoint.', ['pipeline'], perPipeline((m) => m.checkpoints.lastSizeBytes));

  return registry;
}
