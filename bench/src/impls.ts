import { readFileSync } from 'node:fs';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from, filter as rxFilter, map as rxMap, type OperatorFunction } from 'rxjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CheckpointStore, createJob, LmdbEnvironment } from '@eddy/runtime';
import type { Row } from './aggregators.js';
import type { Workload } from './workloads.js';
import { runNodeRed } from './node-red.js';
import { forEachLine } from './json-lines.js';
import { compileStages } from './stages.js';
import { handParallel, handParallelCan } from './hand-parallel.js';

export type ImplName = 'eddy-native' | 'eddy-microbatch' | 'eddy-native-nometrics' | 'eddy-native-checkpoints' | 'eddy-native-lmdb'
  | 'eddy-native-p2' | 'hand' | 'hand-p2' | 'rxjs' | 'node-streams' | 'node-red';
// Metrics off runs right after native: the on / off ratio compares runs close in time on a shared machine.
export const IMPLS: ImplName[] = ['hand', 'eddy-native', 'eddy-native-nometrics', 'eddy-microbatch', 'rxjs', 'node-streams', 'node-red',
  'eddy-native-checkpoints', 'eddy-native-lmdb', 'eddy-native-p2', 'hand-p2'];
/** The bench checkpoints 50× more often than the default 5 s, so that every run takes several: an upper bound of the cost. */
export const BENCH_CHECKPOINT_MS = 100;
/**
 * Warm-up before the timed repetitions, the same for every implementation: runs of the 50 000-event
 * file, at least WARMUP_RUNS of them and for at least WARMUP_MS (steady state in every thread).
 * Measured: a subtask thread's per-piece code (parallelism 2) is hot only after ~3 M events (its
 * first 400 000-event runs after 16 warm-up runs were 10–25 % slower than its later ones); one
 * thread is at its steady state after 16 runs and stays there (the same after 120).
 */
export const WARMUP_RUNS = 16;
export const WARMUP_MS = 3000;
/**
 * Before each timed repetition (the implementations take turns, bench/src/run.ts): warm-up runs for
 * at least REWARM_MS, then on until one takes at most REWARM_SLACK × the steady time of the initial
 * warm-up's last runs, for at most REWARM_MAX_MS in all (bench/src/warm.ts).
 */
export const REWARM_MS = 500;
export const REWARM_SLACK = 1.1;
export const REWARM_MAX_MS = 4000;

/** Runs a workload over a JSON-lines file, feeding its answer to `emit`; resolves when done. */
export type Runner = (w: Workload, path: string, emit: (r: Row) => void) => Promise<void>;

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);

/** Feeds the stateful tail (if any) and forwards its rows at the end. */
function sinkOf(w: Workload, emit: (r: Row) => void) {
  const tail = w.tail?.();
  return { add: tail ? tail.add : emit, end: () => { if (tail) for (const r of tail.finish()) emit(r); } };
}

/** The limit: one loop, no framework; the file read a chunk at a time (json-lines.ts says why). */
const hand: Runner = async (w, path, emit) => {
  const sink = sinkOf(w, emit);
  const add = sink.add;
  const step = compileStages(w.stages);
  if (!step) forEachLine(path, (line) => add(JSON.parse(line)));
  else forEachLine(path, (line) => { const r = step(JSON.parse(line)); if (r !== undefined) add(r); });
  sink.end();
};

const rxjs: Runner = (w, path, emit) => new Promise((resolve, reject) => {
  const sink = sinkOf(w, emit);
  const ops: OperatorFunction<Row, Row>[] = w.stages.map((s) => ('filter' in s ? rxFilter(s.filter) : rxMap(s.map)));
  const parsed = from(lines(path)).pipe(rxMap((l) => JSON.parse(l) as Row));
  const piped = ops.reduce((obs, op) => obs.pipe(op), parsed);
  piped.subscribe({ next: (r) => sink.add(r), error: reject, complete: () => { sink.end(); resolve(); } });
});

const nodeStreams: Runner = async (w, path, emit) => {
  const sink = sinkOf(w, emit);
  const transforms = w.stages.map((s) => new Transform({
    objectMode: true,
    transform(r: Row, _enc, done) {
      if ('filter' in s) done(null, s.filter(r) ? r : undefined);
      else done(null, s.map(r));
    },
  }));
  const parse = new Transform({ objectMode: true, transform(line: string, _e, done) { done(null, JSON.parse(line)); } });
  const out = new Writable({ objectMode: true, write(r: Row, _e, done) { sink.add(r); done(); } });
  await pipeline(Readable.from(lines(path)), parse, ...transforms, out);
  sink.end();
};

function eddy(mode: 'native' | 'microbatch', opts: { metrics?: boolean; checkpoints?: boolean; lmdb?: boolean; parallelism?: number } = {}): Runner {
  return async (w, path, emit) => {
    const doc = w.eddy(path);
    doc.settings.mode = mode;
    if (opts.parallelism) doc.settings.parallelism = opts.parallelism;
    doc.settings.checkpointIntervalMs = BENCH_CHECKPOINT_MS;
    const last = doc.nodes[doc.nodes.length - 1].id;
    const scratch = opts.checkpoints || opts.lmdb ? mkdtempSync(join(tmpdir(), 'eddy-bench-')) : null;
    const env = opts.lmdb ? new LmdbEnvironment(join(scratch!, 'state')) : null;
    const job = createJob(doc, {
      baseDir: dirname(path), metrics: opts.metrics ?? true, // the data file's folder: files elsewhere are refused
      checkpoints: opts.checkpoints ? new CheckpointStore(join(scratch!, 'checkpoints'), 2) : undefined,
      stateBackend: env ? (id) => env.backend(id) : undefined,
      tap: (nodeId, port, records) => { if (nodeId === last && port === 'out') for (const r of records) emit(r); }, tapNodes: [`${last}.out`], tapFields: w.reads,
    });
    await job.start();
    const outcome = await job.done;
    await env?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    if (outcome.state !== 'finished') throw outcome.error ?? new Error(`Eddy ended ${outcome.state}`);
  };
}

export const runners: Record<ImplName, Runner> = {
  hand,
  rxjs,
  'node-streams': nodeStreams,
  'node-red': runNodeRed,
  'eddy-native': eddy('native'),
  'eddy-microbatch': eddy('microbatch'),
  'eddy-native-nometrics': eddy('native', { metrics: false }),
  'eddy-native-checkpoints': eddy('native', { checkpoints: true }),
  'eddy-native-lmdb': eddy('native', { lmdb: true }),
  'eddy-native-p2': eddy('native', { parallelism: 2 }),
  'hand-p2': handParallel(2),
};

/** Which implementations can run a workload (Node-RED only where its nodes express it, the hand loop on two threads where its answer merges). */
export const supports = (impl: ImplName, w: Workload) => (impl !== 'node-red' || w.nodeRed === true) && (impl !== 'hand-p2' || handParallelCan(w));
