import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CheckpointStore, checkFilePaths, createJob, LmdbEnvironment } from '@eddy/runtime';
import { PipelineValidationError, translateToFlinkSql, validatePipeline, type NodeMetrics, type ValidationIssue } from '@eddy/shared';

const USAGE = `Usage:
  eddy run <pipeline.json> [--mode native|microbatch] [--quiet]   run a pipeline headless
      [--state disk|memory]      where keyed state lives while running (default disk: LMDB in a temp folder)
      [--checkpoints <dir>]      take checkpoints there and resume from the newest one (--fresh: ignore it)
  eddy validate <pipeline.json>                                  check a pipeline, print its errors
  eddy export <pipeline.json> [--to json|flink-sql] [--out file] export a pipeline
  eddy serve [--token <secret>|generate]                         start the server (HOST, PORT, EDDY_DATA, EDDY_TOKEN)
  eddy kafka start|stop|status [--help]                          a local single-node Kafka broker
  eddy --help`;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

const processIO: CliIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

class UsageError extends Error {}

function parseArgs(argv: string[]) {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') flags.help = true;
    else if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2);
      if (inline !== undefined) flags[name] = inline;
      else if (name === 'quiet' || name === 'fresh') flags[name] = true;
      else if (i + 1 < argv.length) flags[name] = argv[++i];
      else throw new UsageError(`--${name} needs a value`);
    } else positional.push(a);
  }
  return { positional, flags };
}

/** Reads and parses a pipeline file; exit code 2 for an unreadable file or bad JSON. */
function readDocument(file: string, io: CliIO): unknown | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    io.err(`eddy: cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    io.err(`eddy: ${file} is not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}

const formatIssue = (e: ValidationIssue) => `${e.nodeId ? `[${e.nodeId}] ` : ''}${e.path || '(document)'}: ${e.message}`;

function metricsLine(id: string, m: NodeMetrics): string {
  const wm = m.watermark === null ? '-' : new Date(m.watermark).toISOString();
  return `  ${id.padEnd(20)} in ${String(m.recordsIn).padStart(9)}  out ${String(m.recordsOut).padStart(9)}  ${String(m.ratePerSec).padStart(7)}/s  p99 ${m.latencyMs.p99.toFixed(2).padStart(7)} ms  late ${m.lateRecords}  wm ${wm}`;
}

async function run(file: string, flags: Record<string, string | true>, io: CliIO): Promise<number> {
  const doc = readDocument(file, io) as Record<string, unknown> | undefined;
  if (doc === undefined) return 2;
  if (flags.mode !== undefined) {
    if (flags.mode !== 'native' && flags.mode !== 'microbatch') throw new UsageError(`--mode is native or microbatch, not '${String(flags.mode)}'`);
    if (typeof doc === 'object' && doc) doc.settings = { ...(doc.settings as object | undefined), mode: flags.mode };
  }
  const state = flags.state ?? 'disk';
  if (state !== 'disk' && state !== 'memory') throw new UsageError(`--state is disk or memory, not '${String(state)}'`);
  if (flags.checkpoints === true) throw new UsageError('--checkpoints needs a folder');
  const retained = (doc.settings as { retainedCheckpoints?: number } | undefined)?.retainedCheckpoints ?? 3;
  const checkpoints = typeof flags.checkpoints === 'string' ? new CheckpointStore(resolve(flags.checkpoints), retained) : undefined;
  const restore = checkpoints && !flags.fresh ? await checkpoints.load() : null;
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
  const report = () => {
    if (flags.quiet) return;
    const m = job.metrics();
    io.err(`eddy: ${new Date().toISOString()}${m.deadLetters ? `  dead letters ${m.deadLetters}` : ''}`);
    for (const [id, n] of Object.entries(m.nodes)) io.err(metricsLine(id, n));
  };
  const timer = setInterval(report, 1000);
  const onSignal = () => { void job.stop(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await job.start();
    const outcome = await job.done;
    report();
    for (const dl of job.deadLetters().slice(-10)) io.err(`eddy: dead letter from ${dl.nodeId}: ${dl.reason}`);
    if (outcome.state === 'failed') {
      io.err(`eddy: the pipeline failed: ${outcome.error?.message}`);
      return 1;
    }
    return 0;
  } finally {
    await env?.close();
    clearInterval(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function validate(file: string, io: CliIO): number {
  const doc = readDocument(file, io);
  if (doc === undefined) return 2;
  const validated = validatePipeline(doc);
  // Files resolve against the pipeline file's folder, as `eddy run` resolves them.
  const refused = validated.document ? checkFilePaths(validated.document, { baseDir: dirname(resolve(file)) }) : [];
  const result = { ...validated, ok: validated.ok && !refused.length, errors: [...validated.errors, ...refused] };
  if (result.ok) {
    io.out(`ok: ${file} is a valid pipeline (${result.document!.nodes.length} nodes, ${result.document!.edges.length} edges)`);
    return 0;
  }
  for (const e of result.errors) io.out(formatIssue(e));
  io.err(`eddy: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'} in ${file}`);
  return 1;
}

function exportDocument(file: string, flags: Record<string, string | true>, io: CliIO): number {
  const to = flags.to ?? 'json';
  if (to !== 'json' && to !== 'flink-sql') throw new UsageError(`--to is json or flink-sql, not '${String(to)}'`);
  const doc = readDocument(file, io);
  if (doc === undefined) return 2;
  const result = validatePipeline(doc);
  if (!result.ok) {
    for (const e of result.errors) io.err(formatIssue(e));
    return 1;
  }
  let text = JSON.stringify(result.document, null, 2);
  if (to === 'flink-sql') {
    const flink = translateToFlinkSql(result.document);
    if (!flink.ok) {
      for (const p of flink.problems) io.err(`${p.nodeId ? `[${p.nodeId}] ` : ''}not translatable: ${p.message}`);
      io.err(`eddy: ${file} cannot run on Flink SQL as it is (${flink.problems.length} node${flink.problems.length === 1 ? '' : 's'})`);
      return 1;
    }
    for (const n of flink.notes) io.err(`[${n.nodeId}] note: ${n.message}`);
    text = flink.sql.trimEnd();
  }
  if (typeof flags.out === 'string') writeFileSync(flags.out, text + '\n');
  else io.out(text);
  return 0;
}

/** Runs the command line; resolves to the exit code. */
export async function cli(argv: string[], io: CliIO = processIO): Promise<number> {
  if (argv[0] === 'kafka') return (await import('./local/kafka-cli.js')).kafkaCli(argv.slice(1), io);
  try {
    const { positional, flags } = parseArgs(argv);
    const [command, file] = positional;
    if (flags.help || !command) {
      io.out(USAGE);
      return command || flags.help ? 0 : 2;
    }
    if (command === 'serve') {
      const { main } = await import('./main.js');
      try {
        await main(argv.slice(argv.indexOf('serve') + 1));
      } catch (err) {
        io.err(`Eddy could not start: ${(err as Error).message}`);
        return 1;
      }
      return -1; // keeps running
    }
    if (!['run', 'validate', 'export'].includes(command)) throw new UsageError(`Unknown command '${command}'`);
    if (!file) throw new UsageError(`eddy ${command} needs a pipeline file`);
    if (command === 'run') return await run(file, flags, io);
    if (command === 'validate') return validate(file, io);
    return exportDocument(file, flags, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`eddy: ${err.message}\n${USAGE}`);
    return 2;
  }
}
