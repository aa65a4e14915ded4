import { getJson } from '../local/processes.js';

export type FlinkJobState = 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING';
const TERMINAL = new Set<FlinkJobState>(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);

interface VertexInfo {
  id: string;
  name: string;
  parallelism: number;
  status: string;
  metrics: { 'read-records': number; 'write-records': number };
}
interface JobInfo { jid: string; state: FlinkJobState; vertices: VertexInfo[] }

/** Figures of one Flink vertex, named by the Eddy nodes whose tables it reads or writes. */
export interface VertexFigures { label: string; recordsIn: number; recordsOut: number; ratePerSec: number; watermark: number | null; status: string }

/** The table names the script creates: the Eddy source and sink node ids. */
export function tableNames(statements: string[]): string[] {
  return statements.map((s) => /^CREATE TABLE `((?:[^`]|``)+)`/.exec(s)?.[1].replace(/``/g, '`')).filter((n): n is string => !!n);
}

/**
 * The Eddy nodes a vertex runs, from the table names in its name (Flink names a source vertex
 * `Source: <table>[n]` / `TableSourceScan(table=[[catalog, db, <table>]])`, a sink `Sink: <table>[n]`
 * or `table=[catalog.db.<table>]`). Views are inlined by the planner, so the operators between
 * are counted in the vertex of the tables they are chained with.
 */
export function vertexLabel(vertexName: string, tables: string[]): string {
  const found = tables.filter((t) => {
    const q = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(default_database[,.] ?${q}\\]|(Source|Sink|Writer|Committer): ${q}\\[|Writer: ${q}\\b)`).test(vertexName);
  });
  return found.length ? found.join(',') : vertexName.replace(/\s+/g, ' ').slice(0, 40);
}

/** Polls Flink's REST API for a job: prints per-vertex figures each second until the job ends. */
export class FlinkJobWatcher {
  private readonly tables: string[];
  private readonly last = new Map<string, { out: number; at: number }>();

  constructor(readonly restUrl: string, readonly jobId: string, statements: string[]) {
    this.tables = tableNames(statements);
  }

  async job(): Promise<JobInfo> {
    return getJson<JobInfo>(`${this.restUrl}/jobs/${this.jobId}`);
  }

  async figures(job: JobInfo): Promise<VertexFigures[]> {
    const now = Date.now();
    return Promise.all(job.vertices.map(async (v) => {
      const wm = await getJson<{ id: string; value: string }[]>(`${this.restUrl}/jobs/${this.jobId}/vertices/${v.id}/watermarks`).catch(() => []);
      const values = wm.map((w) => Number(w.value)).filter((x) => Number.isFinite(x) && x > -9e18 && x < 9e18);
      const prev = this.last.get(v.id);
      const out = v.metrics['write-records'] || v.metrics['read-records'];
      const rate = prev && now > prev.at ? Math.max(0, Math.round(((out - prev.out) * 1000) / (now - prev.at))) : 0;
      this.last.set(v.id, { out, at: now });
      return { label: vertexLabel(v.name, this.tables), recordsIn: v.metrics['read-records'], recordsOut: v.metrics['write-records'],
        ratePerSec: rate, watermark: values.length ? Math.min(...values) : null, status: v.status };
    }));
  }

  async rootException(): Promise<string> {
    const ex = await getJson<{ 'root-exception'?: string; exceptionHistory?: { entries?: { exceptionName: string; stacktrace: string }[] } }>(
      `${this.restUrl}/jobs/${this.jobId}/exceptions`).catch(() => undefined);
    const text = ex?.['root-exception'] ?? ex?.exceptionHistory?.entries?.[0]?.stacktrace ?? 'no exception reported';
    const causes = [...text.matchAll(/Caused by: ([^\n]+)/g)].map((m) => m[1]);
    return causes.at(-1) ?? text.split('\n')[0];
  }

  async cancel(): Promise<void> {
    await fetch(`${this.restUrl}/jobs/${this.jobId}?mode=cancel`, { method: 'PATCH', signal: AbortSignal.timeout(10_000) }).catch(() => {});
  }

  /** Watches until the job reaches a terminal state; an abort cancels the job and keeps watching until it has. */
  async watch(o: { err(line: string): void; quiet?: boolean; signal?: AbortSignal; intervalMs?: number }): Promise<FlinkJobState> {
    let cancelled = false;
    for (;;) {
      if (o.signal?.aborted && !cancelled) {
        cancelled = true;
        o.err(`eddy: cancelling Flink job ${this.jobId}`);
        await this.cancel();
      }
      const job = await this.job().catch(() => undefined);
      if (job && !o.quiet) this.print(job, await this.figures(job), o.err);
      if (job && TERMINAL.has(job.state)) return job.state;
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 1000));
    }
  }

  private print(job: JobInfo, figures: VertexFigures[], err: (line: string) => void) {
    err(`eddy: ${new Date().toISOString()}  Flink job ${job.state}`);
    for (const f of figures) {
      const wm = f.watermark === null ? '-' : new Date(f.watermark).toISOString();
      err(`  ${f.label.padEnd(20)} in ${String(f.recordsIn).padStart(9)}  out ${String(f.recordsOut).padStart(9)}  ${String(f.ratePerSec).padStart(7)}/s  ${f.status.padEnd(9)} wm ${wm}`);
    }
  }
}
