import type { FlinkIssue } from '@eddy/shared';
import { FlinkJobWatcher, type FlinkJobState } from './job-watcher.js';
import { FlinkSubmitError, submitToFlink } from './submit.js';

export { withAbsolutePaths } from './submit.js';

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

/**
 * `eddy run --on flink`: submits the pipeline (see submitToFlink) and watches the job until it
 * ends (bounded sources) or the signal aborts it.
 * Exit codes as for a local run: 0 done, 1 not translatable or failed, 2 unreachable gateway.
 */
export async function runOnFlink(document: unknown, o: FlinkRunOptions): Promise<FlinkRunResult> {
  let submitted;
  try {
    // As a local `eddy run`, a failure ends the run: no restarts (the server's deploy target keeps settings.restart).
    submitted = await submitToFlink(document, { ...o, overrides: { 'restart-strategy.type': 'none' } });
  } catch (err) {
    if (!(err instanceof FlinkSubmitError)) throw err;
    for (const p of err.problems) o.err(`${p.nodeId ? `[${p.nodeId}] ` : ''}not translatable: ${p.message}`);
    o.err(err.reason === 'refused' ? `eddy: Flink refused the job: ${err.message}` : `eddy: ${err.message}`);
    if (err.statement) o.err(`eddy: in the statement:\n${err.statement}`);
    return { exitCode: err.reason === 'unreachable' ? 2 : 1, problems: err.problems };
  }
  const { jobId, restUrl, statements, notes } = submitted;
  for (const n of notes) o.err(`[${n.nodeId}] note: ${n.message}`);
  if (!restUrl) {
    o.err(`eddy: Flink job ${jobId} submitted; the gateway names no cluster REST address to watch it (give --flink-rest)`);
    return { exitCode: 0, jobId, problems: [] };
  }
  o.err(`eddy: Flink job ${jobId} — ${restUrl}/#/job/running/${jobId}/overview`);
  const watcher = new FlinkJobWatcher(restUrl, jobId, statements);
  const state = await watcher.watch({ err: o.err, quiet: o.quiet, signal: o.signal });
  if (state === 'FAILED') o.err(`eddy: the Flink job failed: ${await watcher.rootException()}`);
  const exitCode = state === 'FINISHED' || (state === 'CANCELED' && o.signal?.aborted) ? 0 : 1;
  return { exitCode, jobId, state, problems: [] };
}
