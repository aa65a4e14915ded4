import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointNodesOf, IngestError, planRestore, type JobOutcome, type NodeState } from '@eddy/runtime';
import {
  noCheckpoints, SOCKET_METRICS_INTERVAL_MS, type CheckpointInfo, type DeadLetter, type SamplePayload, type PipelineDocument, type PipelineMetrics,
  type RestorePlan, type PipelineState, type PipelineStatus, type RowsPayload,
} from '@eddy/shared';
import type { PipelineStore, StoredPipeline } from '../store/pipeline-store.js';
import { PipelineCheckpoints, type StartFrom } from './checkpoints.js';
import { NotRunning } from '../domain-errors.js';
import { buildJob } from './job-factory.js';
import type { SampleTap } from './samples.js';
import { KeyedQueue } from './keyed-queue.js';
import { Restarts, type RestartTicket } from './restarts.js';
import type { HostedJob } from './job-host.js';

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
  /** The pipeline as deployed: a restart runs this document, not a later edit. */
  pipeline: StoredPipeline;
}

export type DeployResult = PipelineStatus & { plan: RestorePlan };

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
  private closing = false;
  private readonly lifecycle = new KeyedQueue();
  private readonly restarts = new Restarts();

  readonly checkpoints: PipelineCheckpoints;

  /**
   * `disk` (default): keyed state of deployed pipelines lives in LMDB under `<dataDir>/state`;
   * `memory` keeps it on the heap (EDDY_STATE=memory). Checkpoints are the truth after a crash either way.
   */
  constructor(private readonly store: PipelineStore, readonly dataDir: string, private readonly stateMode: 'disk' | 'memory' = 'disk') {
    super();
    this.checkpoints = new PipelineCheckpoints(dataDir);
    rmSync(join(dataDir, 'state'), { recursive: true, force: true }); // working state of a previous process
    this.ticker = setInterval(() => this.publishMetrics(), SOCKET_METRICS_INTERVAL_MS);
    this.ticker.unref();
  }

  /**
   * Starts the stored document (lifecycle calls on one pipeline run one at a time). Running
   * the same revision already, it answers with that job (idempotent: eight parallel deploys
   * start one job). A running older revision stops with a savepoint first, so a redeploy keeps
   * the state of unchanged nodes; after a failure the deploy resumes from the latest
   * checkpoint; `{ fresh: true }` starts from nothing. Throws NotFound, InvalidPipeline.
   */
  deploy(target: Pick<StoredPipeline, 'id'>, from: StartFrom = {}): Promise<DeployResult> {
    return this.lifecycle.run(target.id, () => {
      const p = this.store.require(target.id);
      this.restarts.cancel(p.id);
      return this.start(p, from);
    });
  }

  /** Replaces the stored document (a running job keeps its own until redeployed). */
  replace(id: string, document: PipelineDocument, expectedRevision?: number): Promise<StoredPipeline> {
    return this.lifecycle.run(id, () => this.store.replace(id, document, expectedRevision));
  }

  /** Stops the pipeline's job and deletes it with its checkpoints: final, a lifecycle call queued after it finds nothing. */
  delete(id: string): Promise<void> {
    return this.lifecycle.run(id, async () => {
      const p = this.store.require(id);
      this.restarts.cancel(id);
      await this.stopNow(id);
      this.forget(id);
      await this.store.delete(id);
      await this.checkpoints.remove(p);
    });
  }

  private async start(p: StoredPipeline, from: StartFrom): Promise<DeployResult> {
    const running = this.deployments.get(p.id);
    if (running?.job.state === 'running' && !('fresh' in from) && !('checkpointId' in from)) {
      if (running.pipeline.revision === p.revision) return { ...this.status(p.id), plan: running.plan };
      await this.savepointNow(p.id);
      p = this.store.require(p.id);
    } else {
      await this.stopNow(p.id, { keepDeployed: true });
    }
    const restore = await this.checkpoints.resolve(p, from);
    const firstCheckpointId = await this.checkpoints.nextId(p);
    const stateDir = this.stateMode === 'disk' ? join(this.dataDir, 'state', `${p.id}-${++this.runs}`) : null;
    const { job, samples, rows } = await buildJob(p, this, { baseDir: this.dataDir, stateDir, restore, resumeFromAcks: 'resume' in from,
      checkpoints: this.checkpoints.storeFor(p) });
    const status: PipelineStatus = {
      pipelineId: p.id, state: 'running', startedAt: Date.now(), endedAt: null, error: null, revision: p.revision, restart: this.restarts.status(p.id),
    };
    const deployment: Deployment = { job, samples, status, rows, plan: job.restorePlan, pipeline: p };
    this.deployments.set(p.id, deployment);
    // Recorded before the job can write a checkpoint: a crash from here on resumes this run.
    await this.store.setRunMeta(p.id, { deployed: true, run: { from: restore?.info.id ?? null, firstCheckpointId }, resumeFrom: null });
    await job.start();
    this.setStatus(status);
    void job.done.then(async (outcome) => {
      samples.close();
      await this.lifecycle.run(p.id, () => this.ended(deployment, outcome));
    }).catch((err: unknown) => console.error(`[eddy] pipeline ${p.id}: ${(err as Error).message}`));
    return { ...this.status(p.id), plan: job.restorePlan };
  }

  /** A job ended: finished or stopped, or failed — then the restart strategy decides. */
  private async ended(d: Deployment, outcome: JobOutcome): Promise<void> {
    const id = d.pipeline.id;
    if (this.deployments.get(id) !== d) return; // superseded by a later deploy, or deleted
    // Stopped by the user: a job ended on its way out (its thread did not stop in time) is not restarted.
    if (d.status.state === 'stopped') return;
    this.lastMetrics.set(id, d.job.metrics());
    const now = Date.now();
    if (outcome.state !== 'failed') {
      if (d.status.state === 'running') this.setStatus({ ...d.status, state: outcome.state, endedAt: now });
      if (outcome.state === 'finished') {
        this.restarts.cancel(id);
        await this.store.setDeployed(id, false);
      }
      return;
    }
    const error = outcome.error?.message ?? 'The job failed';
    const { ticket, delayMs } = this.restarts.onFailure(id, d.pipeline.document.settings.restart, now - (d.status.startedAt ?? now), error, now);
    // Whatever comes next, a deploy resumes from the latest checkpoint (not from scratch).
    const latest = await this.latestCheckpointId(id);
    if (delayMs === null) {
      await this.store.setRunMeta(id, { deployed: false, resumeFrom: latest });
      this.setStatus({ ...d.status, state: 'failed', endedAt: now, error, restart: this.restarts.status(id) });
      this.restarts.cancel(id);
      console.error(`[eddy] pipeline ${id} failed${ticket.attempt ? ` after ${ticket.attempt} restarts` : ''}: ${error}`);
      return;
    }
    await this.store.setRunMeta(id, { resumeFrom: latest });
    this.setStatus({ ...d.status, state: 'restarting', endedAt: now, error, restart: this.restarts.status(id) });
    console.error(`[eddy] pipeline ${id} failed: ${error}; restart ${ticket.attempt} in ${delayMs} ms from its latest checkpoint`);
    ticket.timer = setTimeout(() => {
      ticket.timer = null;
      this.lifecycle.run(id, () => this.restart(d, ticket))
        .catch((err: unknown) => console.error(`[eddy] pipeline ${id}: restart failed: ${(err as Error).message}`));
    }, delayMs);
    ticket.timer.unref();
  }

  /** The restart a ticket scheduled, unless a user call came first: the same document, from the latest checkpoint. */
  private async restart(d: Deployment, ticket: RestartTicket): Promise<void> {
    const id = d.pipeline.id;
    const stored = this.store.get(id);
    if (!stored || this.closing || !this.restarts.isCurrent(id, ticket) || this.deployments.get(id) !== d) return;
    try {
      await this.start({ ...stored, name: d.pipeline.name, revision: d.pipeline.revision, document: d.pipeline.document }, { resume: true });
    } catch (err) {
      // The job cannot even be built (e.g. its checkpoint is unreadable): that is final.
      this.restarts.cancel(id);
      await this.store.setRunMeta(id, { deployed: false });
      this.setStatus({ ...d.status, state: 'failed', endedAt: Date.now(), error: (err as Error).message, restart: null });
    }
  }

  private async latestCheckpointId(id: string): Promise<number | null> {
    const p = this.store.get(id);
    if (!p) return null;
    const loaded = await this.checkpoints.resolve(p, { resume: true }).catch(() => null);
    return loaded?.info.id ?? p.resumeFrom ?? null;
  }

  /** Stops a running deployment with a savepoint, which the next deploy starts from. Throws NotRunning. */
  savepoint(id: string): Promise<CheckpointInfo> {
    return this.lifecycle.run(id, () => {
      this.store.require(id);
      return this.savepointNow(id);
    });
  }

  private async savepointNow(id: string): Promise<CheckpointInfo> {
    const d = this.deployments.get(id);
    if (!d || d.job.state !== 'running') throw new NotRunning(`Pipeline '${id}' is not running: a savepoint needs a running deployment`, 'not_running');
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

  /** Stops the pipeline's job, or the restart it waits for. */
  stop(id: string): Promise<PipelineStatus> {
    return this.lifecycle.run(id, () => {
      this.store.require(id);
      this.restarts.cancel(id);
      return this.stopNow(id);
    });
  }

  /** With keepDeployed the store still says "deployed" (server shutdown, redeploy). */
  private async stopNow(id: string, opts: { keepDeployed?: boolean } = {}): Promise<PipelineStatus> {
    const d = this.deployments.get(id);
    if (d && d.job.state === 'running') {
      await d.job.stop();
      this.lastMetrics.set(id, d.job.metrics());
      this.setStatus({ ...d.status, state: 'stopped', endedAt: Date.now() });
    } else if (d && this.status(id).state === 'restarting') {
      this.setStatus({ ...this.status(id), state: 'stopped', endedAt: Date.now() });
    }
    if (!opts.keepDeployed) await this.store.setDeployed(id, false);
    return this.status(id);
  }

  /** Server shutdown: running jobs stop (still "deployed", so the next start resumes them), restarts are dropped. */
  async stopAll(): Promise<void> {
    this.closing = true;
    this.restarts.cancelAll();
    await Promise.all([...this.deployments.keys()].map((id) => this.lifecycle.run(id, () => this.stopNow(id, { keepDeployed: true }))));
    clearInterval(this.ticker);
  }

  private forget(id: string): void {
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
    const zero = { recordsIn: 0, recordsOut: 0, ratePerSec: 0, ratePerSecIn: 0, latencyMs: { p50: 0, p95: 0, p99: 0, p999: 0, max: 0, count: 0, totalCount: 0, totalMs: 0 },
      watermark: null, watermarkLagMs: null, lateRecords: 0, errors: 0, stateKeys: 0, stateBytes: 0, backpressure: 0 };
    return { pipelineId: p.id, at: Date.now(), nodes: Object.fromEntries(p.document.nodes.map((n) => [n.id, { ...zero }])),
      deadLetters: 0, checkpoints: noCheckpoints() };
  }

  latestMetrics(id: string): PipelineMetrics | undefined {
    const d = this.deployments.get(id);
    return d && d.job.state === 'running' ? d.job.metrics() : this.lastMetrics.get(id);
  }

  rows(id: string, nodeId: string): RowsPayload {
    return this.latestRows(id, nodeId) ?? { pipelineId: id, nodeId, rows: [], total: 0 };
  }

  /** The node's latest rows event of the current or last run; none before its first rows. */
  latestRows(id: string, nodeId: string): RowsPayload | undefined {
    return this.deployments.get(id)?.rows.get(nodeId);
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
