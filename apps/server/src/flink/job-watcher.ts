import { getJson } from '../local/processes.js';

export type FlinkJobState = 'INITIALIZING' | 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'RESTARTING' | 'SUSPENDED' | 'RECONCILING';
const TERMINAL = new Set<FlinkJobState>(['FAILED', 'CANCELED', 'FINISHED', 'SUSPENDED']);
export const isTerminal = (state: string) => TERMINAL.has(state as FlinkJobState);

interface VertexInfo {
  id: string;
  name: string;
  parallelism: number;
  status: string;
  metrics: { 'read-records': number; 'write-records': number };
}
export interface JobInfo { jid: string; state: FlinkJobState; vertices: VertexInfo[] }

/** Figures of one Flink vertex, labelled with the Eddy nodes it runs. */
export interface VertexFigures {
  vertexId: string; vertexName: string; label: string; nodes: string[]; recordsIn: number; recordsOut: number;
  /** Records out per second (records in, for a vertex that writes none: a sink) and records in per second, since the last call. */
  ratePerSec: number; ratePerSecIn: number;
  watermark: number | null; status: string;
  /** The busiest subtask's share of time back-pressured (0..1), from /vertices/:vid/backpressure. */
  backpressure: number;
}

/** What the script names: the source and sink tables (Eddy's source and sink node ids) and the views (other node ids) by what they do. */
export interface ScriptNames { sources: string[]; sinks: string[]; windows: string[]; joins: string[]; dedupes: string[] }

const unquote = (q: string) => q.replace(/``/g, '`');

export function scriptNames(statements: string[]): ScriptNames {
  const sinks = [...statements.join('\n').matchAll(/INSERT INTO `((?:[^`]|``)+)`/g)].map((m) => unquote(m[1]));
  const tables = statements.map((s) => /^CREATE TABLE `((?:[^`]|``)+)`/.exec(s)?.[1]).filter((n): n is string => !!n).map(unquote);
  const views = statements.map((s) => ({ name: /^CREATE TEMPORARY VIEW `((?:[^`]|``)+)`/.exec(s)?.[1], sql: s }))
    .filter((v): v is { name: string; sql: string } => !!v.name && !v.name.includes('__')).map((v) => ({ ...v, name: unquote(v.name) }));
  const viewsWith = (re: RegExp) => views.filter((v) => re.test(v.sql)).map((v) => v.name);
  return {
    sources: tables.filter((t) => !sinks.includes(t)), sinks,
    windows: viewsWith(/GROUP BY window_start/), joins: viewsWith(/ JOIN /), dedupes: viewsWith(/ROW_NUMBER\(\)/),
  };
}

const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The Eddy nodes a Flink vertex runs. The planner inlines views and chains operators, so a vertex
 * is named by its operators: `Source: <table>[n]`, `Sink: <table>[n]`, `StreamingFileWriter` (a
 * file sink), `WindowAggregate`, `IntervalJoin`/`WindowJoin`, `Deduplicate`/`Rank`; each maps
 * to the nodes of that sort (all of them when the script has several).
 */
export function vertexNodes(vertexName: string, names: ScriptNames): string[] {
  const found: string[] = [];
  for (const t of names.sources) if (new RegExp(`Source: ${escape(t)}\\[`).test(vertexName)) found.push(t);
  if (/WindowAggregate/.test(vertexName)) found.push(...names.windows);
  if (/Join/.test(vertexName)) found.push(...names.joins);
  if (/Deduplicate|Rank/.test(vertexName)) found.push(...names.dedupes);
  const namedSinks = names.sinks.filter((t) => new RegExp(`Sink: ${escape(t)}\\[`).test(vertexName));
  if (namedSinks.length) found.push(...namedSinks);
  else if (/StreamingFileWriter|Writer/.test(vertexName)) found.push(...names.sinks);
  return [...new Set(found)];
}

/** Polls Flink's REST API for a job: prints per-vertex figures each second until the job ends. */
export class FlinkJobWatcher {
  private readonly names: ScriptNames;
  private readonly last = new Map<string, { out: number; in: number; at: number }>();

  constructor(readonly restUrl: string, readonly jobId: string, statements: string[]) {
    this.names = scriptNames(statements);
  }

  async job(): Promise<JobInfo> {
    return getJson<JobInfo>(`${this.restUrl}/jobs/${this.jobId}`);
  }

  async figures(job: JobInfo): Promise<VertexFigures[]> {
    const now = Date.now();
    const vertexUrl = (v: VertexInfo) => `${this.restUrl}/jobs/${this.jobId}/vertices/${v.id}`;
    return Promise.all(job.vertices.map(async (v) => {
      const [wm, bp] = await Promise.all([
        getJson<{ id: string; value: string }[]>(`${vertexUrl(v)}/watermarks`).catch(() => []),
        getJson<{ subtasks?: { ratio?: number }[] }>(`${vertexUrl(v)}/backpressure`).catch(() => ({ subtasks: [] })),
      ]);
      // Flink reports Long.MIN_VALUE before the first watermark and Long.MAX_VALUE at the end of input.
      const values = wm.map((w) => Number(w.value)).filter((x) => Number.isFinite(x) && x > -9e18 && x < 9e18);
      const prev = this.last.get(v.id);
      const out = v.metrics['write-records'] || v.metrics['read-records'];
      const inn = v.metrics['read-records'];
      const per = (now2: number, before: number | undefined) => (prev && now > prev.at && before !== undefined ? Math.max(0, Math.round(((now2 - before) * 1000) / (now - prev.at))) : 0);
      const rate = per(out, prev?.out);
      const rateIn = per(inn, prev?.in);
      this.last.set(v.id, { out, in: inn, at: now });
      const nodes = vertexNodes(v.name, this.names);
      return { vertexId: v.id, vertexName: v.name, nodes, label: nodes.length ? nodes.join(',') : v.name.replace(/\s+/g, ' ').slice(0, 40),
        recordsIn: v.metrics['read-records'], recordsOut: v.metrics['write-records'], ratePerSec: rate, ratePerSecIn: rateIn,
        watermark: values.length ? Math.min(...values) : null, status: v.status,
        backpressure: Math.max(0, ...(bp.subtasks ?? []).map((t) => t.ratio ?? 0)) };
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
      err(`  ${f.label.padEnd(24)} in ${String(f.recordsIn).padStart(9)}  out ${String(f.recordsOut).padStart(9)}  ${String(f.ratePerSec).padStart(7)}/s  ${f.status.padEnd(9)} wm ${wm}`);
    }
  }
}
