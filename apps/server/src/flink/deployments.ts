import { EventEmitter } from 'node:events';
import { SOCKET_METRICS_INTERVAL_MS, type FlinkAvailability, type FlinkJobInfo, type PipelineMetrics, type PipelineStatus } from '@eddy/shared';
import { localFlinkUrls } from '../local/flink.js';
import { getJson } from '../local/processes.js';
import type { PipelineStore, StoredFlinkRun } from '../store/pipeline-store.js';
import { checkpointMetrics, nodeMetricsOf, pipelineMetrics, pipelineStateOf, upstreamOf } from './flink-metrics.js';
import { FlinkJobWatcher, isTerminal, type JobInfo } from './job-watcher.js';
import { submitToFlink } from './submit.js';

/** A pipeline running (or that ran) on Flink, as the server knows it. */
interface FlinkDeployment {
  pipelineId: string;
  run: StoredFlinkRun;
  watcher: FlinkJobWatcher;
  /** Flink's job state as last read; GONE: Flink no longer knows the job (its cluster restarted). */
  state: string;
  error: string | null;
  metrics?: PipelineMetrics;
  status?: PipelineStatus;
  /** Set once a terminal state's final figures are read: no more polling. */
  ended: boolean;
  polling: boolean;
  /** Each Flink vertex's status (RUNNING, FINISHED…) as last read. */
  vertexStatus: Map<string, string>;
}

/** GET …/status of a pipeline on Flink: the pipeline status with the Flink job and figures per node. */
export type FlinkDeploymentStatus = PipelineStatus & {
  target: 'flink';
  flink: FlinkJobInfo & { nodes: Record<string, { recordsIn: number; recordsOut: number; ratePerSec: number; watermark: number | null; backpressure: number; vertexStatus: string; shared: boolean }> };
};

export interface FlinkDeploymentEvents { metrics: [PipelineMetrics]; status: [PipelineStatus] }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The server's deploy target `flink`: submits through the SQL Gateway that EDDY_FLINK_GATEWAY
 * names (or the one `eddy flink start` runs in the data folder), then reads the job's state and
 * figures from Flink's REST API each second and emits them as `metrics` and `status` events, as
 * the job manager does for embedded jobs. Deployments are kept in the pipeline store, so a
 * restarted server watches its Flink jobs again. File paths resolve against the data folder.
 */
export class FlinkDeployments extends EventEmitter<FlinkDeploymentEvents> {
  private readonly deployments = new Map<string, FlinkDeployment>();
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly dataDir: string, private readonly store?: PipelineStore, private readonly env: NodeJS.ProcessEnv = process.env) {
    super();
  }

  /** Watches the Flink jobs the store remembers and starts the one-second poll. */
  start(): void {
    for (const p of this.store?.list() ?? []) if (p.flink) this.track(p.id, p.flink);
    this.ticker = setInterval(() => { for (const d of this.deployments.values()) void this.poll(d); }, SOCKET_METRICS_INTERVAL_MS);
    this.ticker.unref();
  }

  close(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  /** The gateway deploys go to, or undefined when none is configured or started. */
  gatewayUrl(): string | undefined {
    return this.env.EDDY_FLINK_GATEWAY ?? localFlinkUrls(this.dataDir)?.gatewayUrl;
  }

  /** Whether a deploy to Flink can go ahead now, and where Flink's Web UI is. */
  async availability(): Promise<FlinkAvailability> {
    const gatewayUrl = this.gatewayUrl() ?? null;
    const webUrl = this.env.EDDY_FLINK_REST ?? localFlinkUrls(this.dataDir)?.webUrl ?? null;
    if (!gatewayUrl) {
      return { configured: false, gatewayUrl, webUrl, reachable: false, reason: 'No Flink SQL Gateway is configured: set EDDY_FLINK_GATEWAY or run `npx eddy flink start`' };
    }
    const reachable = await getJson(`${gatewayUrl.replace(/\/$/, '')}/v1/info`, 2000).then(() => true, () => false);
    return { configured: true, gatewayUrl, webUrl, reachable, reason: reachable ? null : `The Flink SQL Gateway at ${gatewayUrl} does not answer` };
  }

  has(pipelineId: string): boolean {
    return this.deployments.has(pipelineId) && (!this.store || !!this.store.get(pipelineId));
  }

  /** Whether the pipeline's Flink job is still going (not finished, failed, cancelled or gone). */
  isRunning(pipelineId: string): boolean {
    const d = this.deployments.get(pipelineId);
    return !!d && !isTerminal(d.state) && d.state !== 'GONE';
  }

  /** Submits the pipeline; throws FlinkSubmitError (untranslatable nodes, unreachable gateway, Flink's refusal). */
  async deploy(p: { id: string; revision: number; document: { nodes: { id: string }[]; edges: { from: string; to: string }[] } }, gatewayUrl: string): Promise<FlinkDeploymentStatus> {
    const s = await submitToFlink(p.document, { gatewayUrl, restUrl: this.env.EDDY_FLINK_REST, baseDir: this.dataDir });
    const run: StoredFlinkRun = {
      jobId: s.jobId, restUrl: s.restUrl ?? 'http://127.0.0.1:8081', gatewayUrl, revision: p.revision, deployedAt: new Date().toISOString(),
      statements: s.statements, upstream: upstreamOf(p.document), nodeIds: p.document.nodes.map((n) => n.id),
    };
    await this.store?.setRunMeta(p.id, { flink: run });
    const d = this.track(p.id, run);
    await this.poll(d);
    return this.status(p.id);
  }

  /**
   * The pipeline is deleted: its Flink job, if still running, is cancelled (no savepoint: nothing
   * will resume it) and the deployment forgotten, so a deleted pipeline leaves no job behind.
   */
  async cancel(pipelineId: string): Promise<void> {
    const d = this.deployments.get(pipelineId);
    if (!d) return;
    const job = await d.watcher.job().catch(() => undefined);
    if (job && !isTerminal(job.state)) {
      const res = await fetch(`${d.run.restUrl}/jobs/${d.run.jobId}?mode=cancel`, { method: 'PATCH', signal: AbortSignal.timeout(10_000) });
      if (!res.ok && res.status !== 404) throw new Error(`Flink did not cancel job ${d.run.jobId}: HTTP ${res.status}`);
    }
    this.deployments.delete(pipelineId);
  }

  /** Forgets a finished Flink deployment (an embedded deploy replaces it). */
  async forget(pipelineId: string): Promise<void> {
    this.deployments.delete(pipelineId);
    if (this.store?.get(pipelineId)?.flink) await this.store.setRunMeta(pipelineId, { flink: null });
  }

  latestMetrics(pipelineId: string): PipelineMetrics | undefined {
    return this.deployments.get(pipelineId)?.metrics;
  }

  pipelineStatus(pipelineId: string): PipelineStatus | undefined {
    const d = this.deployments.get(pipelineId);
    return d && this.statusOf(d);
  }

  async status(pipelineId: string): Promise<FlinkDeploymentStatus> {
    const d = this.deployments.get(pipelineId)!;
    if (!d.metrics || !d.ended) await this.poll(d);
    const nodes: FlinkDeploymentStatus['flink']['nodes'] = {};
    for (const [id, m] of Object.entries(d.metrics?.nodes ?? {})) {
      nodes[id] = { recordsIn: m.recordsIn, recordsOut: m.recordsOut, ratePerSec: m.ratePerSec, watermark: m.watermark, backpressure: m.backpressure,
        vertexStatus: d.vertexStatus.get(m.flinkVertex?.id ?? '') ?? 'UNKNOWN', shared: m.flinkVertex?.shared ?? false };
    }
    const st = this.statusOf(d);
    return { ...st, target: 'flink', flink: { ...st.flink!, nodes } };
  }

  /** Stops the job with a savepoint (Flink's stop-with-savepoint); a job that already ended is left as it is. */
  async stop(pipelineId: string): Promise<FlinkDeploymentStatus> {
    const d = this.deployments.get(pipelineId)!;
    let job = await d.watcher.job().catch(() => undefined);
    // A savepoint needs every task started: a job just deployed is created, then RUNNING while its
    // tasks still deploy, and Flink refuses ("Not all required tasks are currently running"). Wait up to 30 s.
    const started = (j: JobInfo) => j.vertices.every((v) => v.status === 'RUNNING' || v.status === 'FINISHED');
    for (let i = 0; i < 150 && job && !isTerminal(job.state) && !(job.state === 'RUNNING' && started(job)); i++) {
      await sleep(200);
      job = await d.watcher.job().catch(() => undefined);
    }
    // A task that is still initialising refuses the savepoint too: trigger again, a few times.
    for (let attempt = 1; job?.state === 'RUNNING'; attempt++) {
      const refused = await this.stopWithSavepoint(pipelineId, d);
      if (!refused) break;
      if (attempt >= 5 || !/not (being executed|all required tasks are currently running)/i.test(refused)) throw new Error(`Flink could not stop the job with a savepoint: ${refused}`);
      await sleep(1000);
      job = await d.watcher.job().catch(() => undefined);
    }
    d.ended = false; // read the final figures and state
    await this.poll(d, true);
    return this.status(pipelineId);
  }

  /** One stop-with-savepoint; the reason Flink gave when it took none (undefined: stopped). */
  private async stopWithSavepoint(pipelineId: string, d: FlinkDeployment): Promise<string | undefined> {
    const res = await fetch(`${d.run.restUrl}/jobs/${d.run.jobId}/stop`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ drain: false }), signal: AbortSignal.timeout(10_000),
    });
    const { 'request-id': trigger } = (await res.json()) as { 'request-id': string };
    for (let i = 0; i < 600; i++) {
      const r = await fetch(`${d.run.restUrl}/jobs/${d.run.jobId}/savepoints/${trigger}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await r.json()) as { status: { id: string }; operation?: { location?: string; 'failure-cause'?: { 'stack-trace'?: string } } };
      if (body.status.id !== 'COMPLETED') { await sleep(200); continue; }
      if (!body.operation?.location) return body.operation?.['failure-cause']?.['stack-trace']?.split('\n')[0] ?? 'no reason given';
      d.run = { ...d.run, savepoint: body.operation.location };
      await this.store?.setRunMeta(pipelineId, { flink: d.run });
      // The savepoint is written; the job ends a moment later.
      for (let j = 0; j < 150 && !isTerminal((await d.watcher.job().catch(() => undefined))?.state ?? 'FINISHED'); j++) await sleep(200);
      return undefined;
    }
    return 'the savepoint did not complete within 2 minutes';
  }

  private track(pipelineId: string, run: StoredFlinkRun): FlinkDeployment {
    const d: FlinkDeployment = { pipelineId, run, watcher: new FlinkJobWatcher(run.restUrl, run.jobId, run.statements), state: 'UNKNOWN', error: null, ended: false, polling: false, vertexStatus: new Map<string, string>() };
    this.deployments.set(pipelineId, d);
    return d;
  }

  /** Reads the job's state and figures once; emits `metrics`, and `status` when it changed. */
  private async poll(d: FlinkDeployment, force = false): Promise<void> {
    if (d.ended || (d.polling && !force)) return;
    d.polling = true;
    try {
      let job;
      try {
        job = await d.watcher.job();
        d.error = null;
      } catch (err) {
        const gone = /HTTP 404/.test((err as Error).message);
        d.state = gone ? 'GONE' : d.state;
        d.error = gone ? `Flink no longer knows job ${d.run.jobId} (its cluster was restarted?)` : `Flink's REST API at ${d.run.restUrl} does not answer`;
        if (gone) d.ended = true;
      }
      if (job) {
        const figures = await d.watcher.figures(job);
        d.vertexStatus = new Map(figures.map((f) => [f.vertexId, f.status]));
        d.metrics = pipelineMetrics(d.pipelineId, nodeMetricsOf(figures, d.run.nodeIds, d.run.upstream), await checkpointMetrics(d.run.restUrl, d.run.jobId));
        this.emit('metrics', d.metrics);
        d.state = job.state;
        if (job.state === 'FAILED') d.error = `The Flink job failed: ${await d.watcher.rootException()}`;
        if (isTerminal(job.state)) d.ended = true;
      }
      const status = this.statusOf(d);
      if (JSON.stringify(status) !== JSON.stringify(d.status)) {
        d.status = status;
        this.emit('status', status);
      }
    } finally {
      d.polling = false;
    }
  }

  private statusOf(d: FlinkDeployment): PipelineStatus {
    // Stop-with-savepoint ends a job FINISHED in Flink; for the user it stopped.
    const state = d.run.savepoint && d.state === 'FINISHED' ? 'stopped' : pipelineStateOf(d.state);
    return {
      pipelineId: d.pipelineId, state, startedAt: Date.parse(d.run.deployedAt), endedAt: state === 'running' ? null : (d.status?.endedAt ?? Date.now()),
      error: d.error, revision: d.run.revision, target: 'flink',
      flink: { jobId: d.run.jobId, state: d.state, webUrl: `${d.run.restUrl}/#/job/running/${d.run.jobId}/overview`, deployedAt: d.run.deployedAt, ...(d.run.savepoint && { savepoint: d.run.savepoint }) },
    };
  }
}
