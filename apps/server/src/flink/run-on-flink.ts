import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { translateToFlinkSql, type FlinkIssue } from '@eddy/shared';
import { FlinkGateway, FlinkGatewayError } from './gateway.js';
import { FlinkJobWatcher, type FlinkJobState } from './job-watcher.js';

export interface FlinkRunOptions {
  /** The SQL Gateway's REST endpoint, e.g. http://127.0.0.1:8083. */
  gatewayUrl: string;
  /** The cluster's REST API (Web UI), e.g. http://127.0.0.1:8081, where the job is watched; default: what the gateway's configuration names. */
  restUrl?: string;
  /** Relative file paths resolve against this folder (the pipeline's). */
  baseDir: string;
  err(line: string): void;
  /** Per-node figures each second (off with quiet). */
  quiet?: boolean;
  /** Aborting cancels the Flink job. */
  signal?: AbortSignal;
}

export interface FlinkRunResult {
  exitCode: number;
  jobId?: string;
  state?: FlinkJobState;
  problems: FlinkIssue[];
}

const FILE_KINDS = new Set(['source.file', 'sink.file']);

/**
 * A copy of the pipeline whose file paths are absolute `file://` URIs (Flink resolves a relative
 * path against its own working folder, not the pipeline's). Returns problems for paths Flink
 * cannot use as given.
 */
export function withAbsolutePaths(doc: unknown, baseDir: string): { doc: unknown; problems: FlinkIssue[] } {
  const copy = structuredClone(doc) as { nodes?: { id: string; kind: string; params?: { path?: unknown } }[] };
  const problems: FlinkIssue[] = [];
  for (const node of copy.nodes ?? []) {
    if (!FILE_KINDS.has(node.kind) || typeof node.params?.path !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(node.params.path)) continue;
    const abs = isAbsolute(node.params.path) ? node.params.path : resolve(baseDir, node.params.path);
    if (node.kind === 'sink.file' && existsSync(abs) && !statSync(abs).isDirectory()) {
      problems.push({ nodeId: node.id, message: `'${abs}' is a file (from an Eddy run?); Flink writes a folder of part files there: remove it or choose another path` });
    }
    node.params.path = `file://${abs}`;
  }
  return { doc: copy, problems };
}

/**
 * Translates a pipeline, submits it through a SQL Gateway as one statement set (one Flink job),
 * and watches the job until it ends (bounded sources) or the signal aborts it.
 * Exit codes as for a local run: 0 done, 1 not translatable or failed, 2 unreachable gateway.
 */
export async function runOnFlink(document: unknown, o: FlinkRunOptions): Promise<FlinkRunResult> {
  const prepared = withAbsolutePaths(document, o.baseDir);
  const flink = translateToFlinkSql(prepared.doc);
  const problems = [...prepared.problems, ...flink.problems];
  if (problems.length) {
    for (const p of problems) o.err(`${p.nodeId ? `[${p.nodeId}] ` : ''}not translatable: ${p.message}`);
    o.err(`eddy: the pipeline cannot run on Flink as it is (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was submitted`);
    return { exitCode: 1, problems };
  }
  for (const n of flink.notes) o.err(`[${n.nodeId}] note: ${n.message}`);
  const gateway = new FlinkGateway(o.gatewayUrl);
  let jobId: string | undefined;
  let restUrl = o.restUrl;
  try {
    await gateway.open(`eddy-${Date.now()}`);
    restUrl ??= await gateway.clusterRestUrl();
    for (const statement of flink.statements) {
      const r = await gateway.execute(statement);
      jobId = r.jobId ?? (typeof r.rows[0]?.[0] === 'string' && /^[0-9a-f]{32}$/.test(r.rows[0][0]) ? r.rows[0][0] : jobId);
    }
  } catch (err) {
    if (!(err instanceof FlinkGatewayError)) throw err;
    o.err(`eddy: Flink refused the job: ${err.message}`);
    if (err.statement) o.err(`eddy: in the statement:\n${err.statement}`);
    return { exitCode: /does not answer/.test(err.message) ? 2 : 1, problems: [] };
  } finally {
    await gateway.close();
  }
  if (!jobId) {
    o.err('eddy: Flink started no job (the pipeline has no sink?)');
    return { exitCode: 1, problems: [] };
  }
  if (!restUrl) {
    o.err(`eddy: Flink job ${jobId} submitted; the gateway names no cluster REST address to watch it (give --flink-rest)`);
    return { exitCode: 0, jobId, problems: [] };
  }
  o.err(`eddy: Flink job ${jobId} — ${restUrl}/#/job/running/${jobId}/overview`);
  const watcher = new FlinkJobWatcher(restUrl, jobId, flink.statements);
  const state = await watcher.watch({ err: o.err, quiet: o.quiet, signal: o.signal });
  if (state === 'FAILED') o.err(`eddy: the Flink job failed: ${await watcher.rootException()}`);
  const exitCode = state === 'FINISHED' || (state === 'CANCELED' && o.signal?.aborted) ? 0 : 1;
  return { exitCode, jobId, state, problems: [] };
}
