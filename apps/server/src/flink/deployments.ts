import { localFlinkUrls } from '../local/flink.js';
import { FlinkJobWatcher, type FlinkJobState } from './job-watcher.js';
import { submitToFlink } from './submit.js';

/** A pipeline running (or that ran) on Flink, as the server knows it. */
interface FlinkDeployment { pipelineId: string; revision: number; jobId: string; restUrl: string; watcher: FlinkJobWatcher; deployedAt: string; savepoint?: string }

export interface FlinkDeploymentStatus {
  target: 'flink';
  pipelineId: string;
  revision: number;
  deployedAt: string;
  flink: { jobId: string; state: FlinkJobState | 'UNKNOWN'; webUrl: string; savepoint?: string };
  /** Figures per Eddy node, from the Flink vertex that runs it (nodes chained into one vertex share its figures). */
  nodes: Record<string, { recordsIn: number; recordsOut: number; ratePerSec: number; watermark: number | null; vertexStatus: string }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The server's deploy target `flink`: submits through the SQL Gateway that EDDY_FLINK_GATEWAY
 * names (or the one `eddy flink start` runs in the data folder), then reads the job's state
 * and figures from Flink's REST API. File paths resolve against the data folder.
 */
export class FlinkDeployments {
  private readonly deployments = new Map<string, FlinkDeployment>();

  constructor(private readonly dataDir: string, private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** The gateway deploys go to, or undefined when none is configured or started. */
  gatewayUrl(): string | undefined {
    return this.env.EDDY_FLINK_GATEWAY ?? localFlinkUrls(this.dataDir)?.gatewayUrl;
  }

  has(pipelineId: string): boolean {
    return this.deployments.has(pipelineId);
  }

  /** Submits the pipeline; throws FlinkSubmitError (untranslatable nodes, unreachable gateway, Flink's refusal). */
  async deploy(p: { id: string; revision: number; document: unknown }, gatewayUrl: string): Promise<FlinkDeploymentStatus> {
    const s = await submitToFlink(p.document, { gatewayUrl, restUrl: this.env.EDDY_FLINK_REST, baseDir: this.dataDir });
    const restUrl = s.restUrl ?? 'http://127.0.0.1:8081';
    this.deployments.set(p.id, {
      pipelineId: p.id, revision: p.revision, jobId: s.jobId, restUrl, deployedAt: new Date().toISOString(),
      watcher: new FlinkJobWatcher(restUrl, s.jobId, s.statements),
    });
    return this.status(p.id);
  }

  async status(pipelineId: string): Promise<FlinkDeploymentStatus> {
    const d = this.deployments.get(pipelineId)!;
    const job = await d.watcher.job().catch(() => undefined);
    const nodes: FlinkDeploymentStatus['nodes'] = {};
    if (job) {
      for (const f of await d.watcher.figures(job)) {
        for (const id of f.nodes) nodes[id] = { recordsIn: f.recordsIn, recordsOut: f.recordsOut, ratePerSec: f.ratePerSec, watermark: f.watermark, vertexStatus: f.status };
      }
    }
    return {
      target: 'flink', pipelineId, revision: d.revision, deployedAt: d.deployedAt, nodes,
      flink: { jobId: d.jobId, state: job?.state ?? 'UNKNOWN', webUrl: `${d.restUrl}/#/job/running/${d.jobId}/overview`, ...(d.savepoint && { savepoint: d.savepoint }) },
    };
  }

  /** Stops the job with a savepoint (Flink's stop-with-savepoint); a job that already ended is left as it is. */
  async stop(pipelineId: string): Promise<FlinkDeploymentStatus> {
    const d = this.deployments.get(pipelineId)!;
    const job = await d.watcher.job().catch(() => undefined);
    if (job?.state === 'RUNNING') {
      const res = await fetch(`${d.restUrl}/jobs/${d.jobId}/stop`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ drain: false }), signal: AbortSignal.timeout(10_000),
      });
      const { 'request-id': trigger } = (await res.json()) as { 'request-id': string };
      for (let i = 0; i < 600; i++) {
        const r = await fetch(`${d.restUrl}/jobs/${d.jobId}/savepoints/${trigger}`, { signal: AbortSignal.timeout(10_000) });
        const body = (await r.json()) as { status: { id: string }; operation?: { location?: string; 'failure-cause'?: { 'stack-trace'?: string } } };
        if (body.status.id === 'COMPLETED') {
          if (body.operation?.location) d.savepoint = body.operation.location;
          else throw new Error(`Flink could not stop the job with a savepoint: ${body.operation?.['failure-cause']?.['stack-trace']?.split('\n')[0] ?? 'no reason given'}`);
          break;
        }
        await sleep(200);
      }
    }
    return this.status(pipelineId);
  }
}
