import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointNodesOf, IngestError, planRestore, type NodeState } from '@eddy/runtime';
import {
  noCheckpoints, SOCKET_METRICS_INTERVAL_MS, type CheckpointInfo, type DeadLetter, type SamplePayload, type PipelineMetrics, type RestorePlan, type PipelineState, type PipelineStatus, type RowsPayload,
} from '@eddy/shared';
import type { PipelineStore, StoredPipeline } from '../store/pipeline-store.js';
import { PipelineCheckpoints, type StartFrom } from './checkpoints.js';
import { HttpError } from '../http/errors.js';
import { SampleTap } from './samples.js';
import { hostJob, type HostedJob } from './job-host.js';

export interface JobEvents {
  sample: [SamplePayload];
  metrics: [PipelineMetrics];
  status: [PipelineStatus];
  rows: [RowsPayload];
  deadLetter: [{ pipelineId: string; deadLetter: DeadLetter }];
}

interface Deployment {
  job: HostedJob;
  samples: SampleTap;
  plan: RestorePlan;
  status: PipelineStatus;
  rows: Map<string, RowsPayload>;
}

/**
 * Runs deployed pipelines through the runtime's public API and keeps the latest status,
 * metrics and rows of each, so that a late subscriber gets them at once.
 */
export class JobManager extends EventEmitter<JobEvents> {
  private readonly deployments = new Map<string, Deployment>();
  private readonly lastStatus = new Map<string, PipelineStatus>();
  private readonly lastMetrics = new Map<string, PipelineMetrics>();
  private readonly ticker: NodeJS.Timeout;
  private runs = 0;

  readonly checkpoints: PipelineCheckpoints;

  /**
   * `disk` (default): keyed state of deployed pipelines lives in LMDB under `<dataDir>/state`;
   * `memory` keeps it on the heap (EDDY_STATE=memory). Checkpoints are the truth after a crash either way.
   */
  constructor(private readonly store: PipelineStore, private readonly dataDir: string, private readonly stateMode: 'disk' | 'memory' = 'disk') {
    super();
    this.checkpoints = new PipelineCheckpoints(dataDir);
    rmSync(join(dataDir, 'state'), { recursive: true, force: true }); // working state of a previous process
    this.ticker = setInterval(() => this.publishMetrics(), SOCKET_METRICS_INTERVAL_MS);
    this.ticker.unref();
  }

  /**
   * Starts the stored document. A running deployment of it stops with a savepoint first, so
   * a redeploy keeps the state of unchanged nodes; `{ fresh: true }` starts from nothing.
   * Throws PipelineValidationError.
   */
  async deploy(p: StoredPipeline, from: StartFrom = {}): Promise<PipelineStatus & { plan: RestorePlan }> {
    const running = this.deployments.get(p.id);
    if (running?.job.state === 'running' && !('fresh' in from) && !('checkpointId' in from)) {
      await this.savepoint(p.id);
      p = this.store.require(p.id);
    } else {
      await this.stop(p.id, { keepDeployed: true });
    }
    const restore = await this.checkpoints.resolve(p, from);
    const firstCheckpointId = await this.checkpoints.nextId(p);
    const rows = new Map<string, RowsPayload>();
    const stateDir = this.stateMode === 'disk' ? join(this.dataDir, 'state', `${p.id}-${++this.runs}`) : undefined;
    const samples = new SampleTap(p.id, (payload) => this.emit('sample', payload));
    const job = hostJob(p.document, {
        tap: samples.tap,
        baseDir: this.dataDir,
        pipelineId: p.id,
        checkpoints: this.checkpoints.storeFor(p),
        restore,
        resumeFromAcks: 'resume' in from,
        stateDir,
        onRows: (nodeId, latest, total) => {
          const payload = { pipelineId: p.id, nodeId, rows: latest, total };
          rows.set(nodeId, payload);
          this.emit('rows', payload);
        },
        onDeadLetter: (deadLetter) => this.emit('deadLetter', { pipelineId: p.id, deadLetter }),
        log: (line) => console.log(`[${p.id}] ${line}`),
      });
    const status: PipelineStatus = { pipelineId: p.id, state: 'running', startedAt: Date.now(), endedAt: null, error: null, revision: p.revision };
    const deployment: Deployment = { job, samples, status, rows, plan: job.restorePlan };
    this.deployments.set(p.id, deployment);
    // Recorded before the job can write a checkpoint: a crash from here on resumes this run.
    await this.store.setRunMeta(p.id, { deployed: true, run: { from: restore?.info.id ?? null, firstCheckpointId }, resumeFrom: null });
    await job.start();
    this.setStatus(status);
    void job.done.then(async (outcome) => {
      samples.close();
      if (this.deployments.get(p.id) !== deployment) return;
      this.lastMetrics.set(p.id, job.metrics());
      this.setStatus({ ...status, state: outcome.state, endedAt: Date.now(), error: outcome.error?.message ?? null });
      if (outcome.state !== 'stopped') await this.store.setDeployed(p.id, false);
    });
    return { ...this.status(p.id), plan: job.restorePlan };
  }

  /** Stops a running deployment with a savepoint, which the next deploy starts from. */
  async savepoint(id: string): Promise<CheckpointInfo> {
    const d = this.deployments.get(id);
    if (!d || d.job.state !== 'running') throw new HttpError(409, 'not_running', `Pipeline '${id}' is not running: a savepoint needs a running deployment`);
    const info = await d.job.savepoint();
    this.lastMetrics.set(id, d.job.metrics());
    // Recorded before anyone hears "stopped", so what they read next names the savepoint.
    await this.store.setRunMeta(id, { deployed: false, resumeFrom: info.id });
    this.setStatus({ ...d.status, state: 'stopped', endedAt: Date.now() });
    return info;
  }

  /**
   * While running, a deploy stops with a savepoint of the running document first: the plan
   * compares the stored (edited) document with it. Null id: the savepoint is not taken yet.
   */
  redeployPlan(p: StoredPipeline): RestorePlan {
    const running = this.deployments.get(p.id)!.job.document;
    // The savepoint will carry the running nodes' fingerprints: a changed one is reset.
    return { ...planRestore({ id: 0, kind: 'savepoint', nodes: checkpointNodesOf(running) }, p.document), checkpointId: null };
  }

  /** Sample records on an edge (`<node>:<port>`) of a running deployment while someone watches. */
  watchEdge(id: string, edge: string, on: boolean): boolean {
    const d = this.deployments.get(id);
    if (!d || d.job.state !== 'running') return false;
    d.samples.watch(edge, on);
    d.job.watchEdges(d.samples.watched());
    return true;
  }

  /** The restore plan of the running deployment (what it kept, reset, dropped). */
  currentPlan(id: string): RestorePlan | undefined {
    return this.deployments.get(id)?.plan;
  }

  /** Stops a deployment. With keepDeployed the store still says "deployed" (server shutdown, redeploy). */
  async stop(id: string, opts: { keepDeployed?: boolean } = {}): Promise<PipelineStatus> {
    const d = this.deployments.get(id);
    if (d && d.job.state === 'running') {
      await d.job.stop();
      this.lastMetrics.set(id, d.job.metrics());
      this.setStatus({ ...d.status, state: 'stopped', endedAt: Date.now() });
    }
    if (!opts.keepDeployed) await this.store.setDeployed(id, false);
    return this.status(id);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.deployments.keys()].map((id) => this.stop(id, { keepDeployed: true })));
    clearInterval(this.ticker);
  }

  forget(id: string): void {
    this.deployments.delete(id);
    this.lastStatus.delete(id);
    this.lastMetrics.delete(id);
  }

  status(id: string): PipelineStatus {
    return this.lastStatus.get(id) ?? { pipelineId: id, state: 'stopped', startedAt: null, endedAt: null, error: null, revision: null };
  }

  state(id: string): PipelineState {
    return this.status(id).state;
  }

  /** Live figures while running, the last ones after, zeros for a pipeline never deployed. */
  metrics(p: StoredPipeline): PipelineMetrics {
    const d = this.deployments.get(p.id);
    if (d && d.job.state === 'running') return d.job.metrics();
    const last = this.lastMetrics.get(p.id);
    if (last) return last;
    const zero = { recordsIn: 0, recordsOut: 0, ratePerSec: 0, ratePerSecIn: 0, latencyMs: { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0 },
      watermark: null, watermarkLagMs: null, lateRecords: 0, errors: 0, stateKeys: 0, stateBytes: 0, backpressure: 0 };
    return { pipelineId: p.id, at: Date.now(), nodes: Object.fromEntries(p.document.nodes.map((n) => [n.id, { ...zero }])),
      deadLetters: 0, checkpoints: noCheckpoints() };
  }

  latestMetrics(id: string): PipelineMetrics | undefined {
    const d = this.deployments.get(id);
    return d && d.job.state === 'running' ? d.job.metrics() : this.lastMetrics.get(id);
  }

  rows(id: string, nodeId: string): RowsPayload {
    return this.deployments.get(id)?.rows.get(nodeId) ?? { pipelineId: id, nodeId, rows: [], total: 0 };
  }

  allRows(id: string): RowsPayload[] {
    return [...(this.deployments.get(id)?.rows.values() ?? [])];
  }

  /** Records for a source.http node of a running pipeline; resolves once they are in the pipeline. */
  ingest(id: string, nodeId: string, records: Record<string, unknown>[]): Promise<void> {
    const d = this.deployments.get(id);
    if (!d || d.job.state !== 'running') return Promise.reject(new IngestError('not_running', `Pipeline '${id}' is not running: deploy it first`));
    return d.job.ingest(nodeId, records);
  }

  deadLetters(id: string): DeadLetter[] {
    return this.deployments.get(id)?.job.deadLetters() ?? [];
  }

  async nodeState(id: string, nodeId: string, query: { key?: string; limit?: number }): Promise<NodeState | undefined> {
    const d = this.deployments.get(id);
    // State lives with a running job (an on-disk backend is closed when the job ends).
    return d?.job.state === 'running' ? d.job.nodeState(nodeId, query) : undefined;
  }

  private setStatus(status: PipelineStatus): void {
    this.lastStatus.set(status.pipelineId, status);
    const d = this.deployments.get(status.pipelineId);
    if (d) d.status = status;
    this.emit('status', status);
  }

  private publishMetrics(): void {
    for (const [id, d] of this.deployments) {
      if (d.job.state !== 'running') continue;
      const m = d.job.metrics();
      this.lastMetrics.set(id, m);
      this.emit('metrics', m);
    }
  }
}
