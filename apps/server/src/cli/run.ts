import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointStore, createJob, describeExecution, LmdbEnvironment, resolveParallelism } from '@eddy/runtime';
import { PipelineValidationError, validatePipeline, type NodeMetrics } from '@eddy/shared';
import { runOnFlink } from '../flink/run-on-flink.js';
import { localFlinkUrls } from '../local/flink.js';
import { dataDirOf, formatIssue, oneOf, readDocument, UsageError, type CliIO, type Values, type Verb } from './common.js';

function metricsLine(id: string, m: NodeMetrics): string {
  const wm = m.watermark === null ? '-' : new Date(m.watermark).toISOString();
  return `  ${id.padEnd(20)} in ${String(m.recordsIn).padStart(9)}  out ${String(m.recordsOut).padStart(9)}  ${String(m.ratePerSec).padStart(7)}/s  p99 ${m.latencyMs.p99.toFixed(2).padStart(7)} ms  late ${m.lateRecords}  wm ${wm}`;
}

/** --parallelism: a whole number of subtasks 1..64 (as settings.parallelism allows) or 'auto'. */
function parallelismOption(value: string | boolean | undefined): number | 'auto' | undefined {
  if (value === undefined || value === 'auto') return value;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 64)) throw new UsageError(`--parallelism is a whole number from 1 to 64 or 'auto', not '${String(value)}'`);
  return n;
}

/** The plan in words, once at start, when the job runs in subtasks (a valid document: createJob accepted it). */
function printPlan(doc: unknown, io: CliIO): void {
  const document = validatePipeline(doc).document;
  if (!document || resolveParallelism(document.settings.parallelism) <= 1) return;
  for (const line of describeExecution(document)) io.err(`eddy: ${line}`);
}

/** Aborted on the first SIGINT/SIGTERM while `body` runs. */
async function withSignals<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body(ac.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runLocally(file: string, doc: Record<string, unknown>, values: Values, io: CliIO): Promise<number> {
  const state = oneOf('state', values.state, ['disk', 'memory'] as const, 'disk');
  const retained = (doc.settings as { retainedCheckpoints?: number } | undefined)?.retainedCheckpoints ?? 3;
  const checkpoints = typeof values.checkpoints === 'string' ? new CheckpointStore(resolve(values.checkpoints), retained) : undefined;
  const restore = checkpoints && !values.fresh ? await checkpoints.load() : null;
  if (restore) io.err(`eddy: resuming from ${restore.info.kind} ${restore.info.id} in ${checkpoints!.dir}`);
  const env = state === 'disk' ? new LmdbEnvironment(join(tmpdir(), `eddy-state-${process.pid}-${Date.now()}`)) : null;
  let job;
  try {
    job = createJob(doc, {
      baseDir: dirname(resolve(file)), pipelineId: basename(file), log: io.out, checkpoints, restore, resumeFromAcks: !!restore,
      stateBackend: env ? (nodeId) => env.backend(nodeId) : undefined,
    });
  } catch (err) {
    await env?.close();
    if (!(err instanceof PipelineValidationError)) throw err;
    for (const e of err.errors) io.err(formatIssue(e));
    return 1;
  }
  printPlan(doc, io);
  const report = () => {
    if (values.quiet) return;
    const m = job.metrics();
    io.err(`eddy: ${new Date().toISOString()}${m.deadLetters ? `  dead letters ${m.deadLetters}` : ''}`);
    for (const [id, n] of Object.entries(m.nodes)) io.err(metricsLine(id, n));
  };
  const timer = setInterval(report, 1000);
  try {
    return await withSignals(async (signal) => {
      signal.addEventListener('abort', () => void job.stop());
      await job.start();
      const outcome = await job.done;
      report();
      for (const dl of job.deadLetters().slice(-10)) io.err(`eddy: dead letter from ${dl.nodeId}: ${dl.reason}`);
      if (outcome.state === 'failed') {
        io.err(`eddy: the pipeline failed: ${outcome.error?.message}`);
        return 1;
      }
      return 0;
    });
  } finally {
    await env?.close();
    clearInterval(timer);
  }
}

async function runFlink(file: string, doc: unknown, values: Values, io: CliIO): Promise<number> {
  for (const local of ['checkpoints', 'state', 'mode', 'parallelism'] as const) {
    if (values[local] !== undefined) throw new UsageError(`--${local} is for the embedded engine, not --on flink`);
  }
  const local = localFlinkUrls(dataDirOf(values));
  const gatewayUrl = typeof values.gateway === 'string' ? values.gateway : process.env.EDDY_FLINK_GATEWAY ?? local?.gatewayUrl ?? 'http://127.0.0.1:8083';
  const restUrl = typeof values['flink-rest'] === 'string' ? values['flink-rest'] : process.env.EDDY_FLINK_REST;
  const result = await withSignals((signal) => runOnFlink(doc, {
    gatewayUrl, restUrl, baseDir: dirname(resolve(file)), err: io.err, quiet: values.quiet === true, signal,
  }));
  return result.exitCode;
}

export const runVerb: Verb = {
  summary: 'run a pipeline headless, here or on Flink',
  help: `Usage: eddy run <pipeline.json> [options]
  Runs until its bounded sources are read (or Ctrl-C); per-node figures on stderr each second.
  --mode native|microbatch   the embedded engine's execution mode
  --parallelism <n>|auto     subtasks on worker threads (1..64; auto: the cores but one); overrides
                             settings.parallelism; above 1 the plan is printed once at start
  --state disk|memory        where keyed state lives while running (default disk: LMDB in a temp folder)
  --checkpoints <dir>        take checkpoints there and resume from the newest one
  --fresh                    with --checkpoints: ignore the existing ones
  --quiet                    no figures
  --on local|flink           where to run (default local). flink: translate to Flink SQL (untranslatable
                             nodes are named, nothing is submitted), submit through a SQL Gateway, watch
                             the job; file paths become absolute, file sinks become folders of part files
  --gateway <url>            the SQL Gateway (default EDDY_FLINK_GATEWAY, else the one 'eddy flink start' runs)
  --flink-rest <url>         the cluster's REST API (default EDDY_FLINK_REST, else what the gateway names)
  --data <dir>               the data folder of 'eddy flink start' (default EDDY_DATA or ./data)`,
  options: {
    mode: { type: 'string' }, parallelism: { type: 'string' }, state: { type: 'string' }, checkpoints: { type: 'string' }, fresh: { type: 'boolean' },
    quiet: { type: 'boolean' }, on: { type: 'string' }, gateway: { type: 'string' }, 'flink-rest': { type: 'string' }, data: { type: 'string' },
  },
  positionals: { min: 1, max: 1, what: 'a pipeline file' },
  async run([file], values, io) {
    const on = oneOf('on', values.on, ['local', 'flink'] as const, 'local');
    if (values.mode !== undefined) oneOf('mode', values.mode, ['native', 'microbatch'] as const, 'native');
    if (values.state !== undefined) oneOf('state', values.state, ['disk', 'memory'] as const, 'disk');
    const parallelism = parallelismOption(values.parallelism);
    const doc = readDocument(file, io) as Record<string, unknown> | undefined;
    if (doc === undefined) return 2;
    if (on === 'flink') return runFlink(file, doc, values, io);
    if (typeof values.mode === 'string' && typeof doc === 'object' && doc) doc.settings = { ...(doc.settings as object | undefined), mode: values.mode };
    if (parallelism !== undefined && typeof doc === 'object' && doc) doc.settings = { ...(doc.settings as object | undefined), parallelism };
    return runLocally(file, doc, values, io);
  },
};
