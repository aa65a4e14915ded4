import { fork, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_CHECKPOINT_MS, IMPLS, REWARM_MAX_MS, REWARM_MS, REWARM_SLACK, supports, WARMUP_MS, WARMUP_RUNS, type ImplName } from './impls.js';
import { workloads } from './workloads.js';
import type { ChildCommand, ChildMessage, ChildReport, LatencyReport, RepResult } from './child.js';
import { summarize, round } from './stats.js';
import { markdown, svg, type ResultRow } from './report.js';
import { flinkMarkdown, flinkVsEddy } from './flink.js';
import { dataFile } from './data-files.js';

/**
 * `npm run bench [-- --quick] [--events N] [--reps N] [--only ysb,q1] [--impls eddy-native,eddy-native-p2] [--merge] [--no-flink]`: every workload in every
 * implementation, one forked child per pair, answers checked equal before any figure counts; then NEXMark q1 and
 * q5 on a local Flink against Eddy (not in --quick, so never in `npm test`).
 */
const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const quick = args.includes('--quick');
const events = Number(flag('events') ?? (quick ? 10_000 : 400_000));
const reps = Number(flag('reps') ?? (quick ? 1 : 5));
const only = flag('only')?.split(',');
const merge = args.includes('--merge');
const selected = workloads.filter((w) => !only || only.includes(w.name));
const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, '..', 'results');
mkdirSync(resultsDir, { recursive: true });

/**
 * A child process running child.ts with `argv`. A child waits, idle, while the others take their
 * turns (Node-RED's repetition alone takes ~90 s), and V8 meanwhile drops compiled code: the
 * bytecode of functions that did not run, and more through the memory reducer's idle-time
 * collections. The next timed run then compiled it all again, the more so with several threads
 * (ysb at parallelism 2 after the 0.5 s re-warm-up: 40 s idle 569 ms, V8's helpers 180–195 ms each
 * compiling, 380 with `--no-flush-bytecode`; 100 s idle with that flag alone 519 ms, with
 * `--no-memory-reducer` too 358 ms — the steady state is ~326). A stream job runs; the bench
 * measures the steady state, with the same flags for every implementation.
 */
const forkChild = (argv: string[]): ChildProcess => fork(join(here, 'child.js'), argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096', '--no-flush-bytecode', '--no-memory-reducer'] });

function child<T>(argv: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = forkChild(argv);
    let got: T | undefined;
    p.on('message', (m) => { got = m as T; });
    p.on('exit', (code) => (got ? resolve(got) : reject(new Error(`child ${argv.join(' ')} exited ${code} without a report`))));
  });
}

/**
 * A throughput child (child.ts), warmed up and waiting: the parent asks for one repetition at a
 * time, so the implementations' repetitions interleave — a machine that is slower for a while
 * slows every implementation alike, instead of whichever ran then (the ratios are what counts).
 */
class ThroughputChild {
  private readonly p: ChildProcess;
  private waiting: ((m: ChildMessage | null) => void) | null = null;
  private readonly inbox: (ChildMessage | null)[] = [];
  /** Set once the child reported (it ends then): a failure, or the final report. */
  report: ChildReport | null = null;
  private exited = false;

  constructor(argv: string[]) {
    this.p = forkChild(argv);
    this.p.on('message', (m: ChildMessage) => this.take(m));
    this.p.on('exit', () => { this.exited = true; this.take(null); });
  }

  private take(m: ChildMessage | null): void {
    if (m?.t === 'report') this.report = m.report;
    if (this.waiting) { const w = this.waiting; this.waiting = null; w(m); } else this.inbox.push(m);
  }

  private next(): Promise<ChildMessage | null> {
    const m = this.inbox.shift();
    return m !== undefined ? Promise.resolve(m) : new Promise((r) => { this.waiting = r; });
  }

  /** Resolves once warmed up (false: it failed first; `report` says why). */
  async warm(): Promise<boolean> {
    const m = await this.next();
    return m?.t === 'warm';
  }

  /** One timed repetition, or why there is none (the child failed or ended). */
  async rep(): Promise<{ rep?: RepResult; error?: string }> {
    if (this.report || this.exited) return { error: this.report?.error ?? 'the child ended' };
    this.p.send({ t: 'rep' } satisfies ChildCommand);
    const m = await this.next();
    return m?.t === 'rep' ? m : { error: 'the child ended without a result' };
  }

  /** Ends the child; its report (every repetition, peak RSS). */
  async done(impl: ImplName, workload: string): Promise<ChildReport> {
    if (!this.report && !this.exited) {
      this.p.send({ t: 'done' } satisfies ChildCommand);
      for (let m = await this.next(); m !== null && m.t !== 'report'; m = await this.next());
    }
    return this.report ?? { impl, workload, reps: [], rssMb: 0, error: 'the child ended without a report' };
  }
}

// Quick mode checks answers only, the cost variants included: checkpoints and state on disk must not change them.
// `--impls hand,eddy-native`: only these implementations (a focused measurement; the hand loop always runs, it checks answers).
const implsFlag = flag('impls')?.split(',');
const impls = implsFlag ? IMPLS.filter((i) => i === 'hand' || implsFlag.includes(i)) : IMPLS;
const reports: ChildReport[] = [];
const mismatches: string[] = [];
console.error(`eddy bench: ${selected.length} workloads × ${impls.length} implementations, ${events} events, ${reps} repetition(s)${quick ? ' (quick: answers only)' : ''}`);
for (const w of selected) {
  const path = await dataFile(w.scenario, events, 7);
  const warmup = quick ? '' : await dataFile(w.scenario, Math.min(50_000, events), 11);
  const list = impls.filter((i) => supports(i, w));
  // Warm-ups one at a time (each has the machine to itself), then the repetitions in rounds:
  // each round runs every implementation once, from a different one each round.
  const children = new Map<ImplName, ThroughputChild>();
  const errors = new Map<ImplName, string>();
  for (const impl of list) {
    const c = new ThroughputChild(['throughput', impl, w.name, path, warmup, String(events)]);
    children.set(impl, c);
    if (!(await c.warm())) errors.set(impl, c.report?.error ?? 'the child ended before its warm-up did');
  }
  for (let round = 0; round < reps; round++) {
    for (let k = 0; k < list.length; k++) {
      const impl = list[(k + round) % list.length];
      if (errors.has(impl)) continue;
      const { error } = await children.get(impl)!.rep();
      if (error) errors.set(impl, error);
    }
  }
  let reference: string | undefined;
  for (const impl of list) {
    const r = await children.get(impl)!.done(impl, w.name);
    if (errors.has(impl)) r.error ??= errors.get(impl);
    reports.push(r);
    const digests = [...new Set(r.reps.map((x) => x.digest))];
    if (r.error || digests.length !== 1) {
      mismatches.push(`${w.name}/${impl}: ${r.error ?? `answers differ between repetitions (${digests.join(', ')})`}`);
      continue;
    }
    reference ??= digests[0];
    const ok = digests[0] === reference;
    if (!ok) mismatches.push(`${w.name}/${impl}: answer ${digests[0]} differs from the hand loop's ${reference}`);
    const eps = summarize(r.reps.map((x) => (x.events / x.ms) * 1000));
    console.error(`  ${w.name.padEnd(6)} ${impl.padEnd(22)} ${ok ? 'same answer' : 'DIFFERENT ANSWER'}${quick ? '' : `  ${Math.round(eps.median).toLocaleString('en')} ev/s`}`);
  }
}

if (quick) {
  const checked = selected.length;
  writeFileSync(join(resultsDir, 'quick.json'), JSON.stringify({ events, workloads: checked, mismatches }, null, 2));
  console.log(mismatches.length ? `quick: ${mismatches.length} mismatches:\n${mismatches.join('\n')}` : `quick: all ${checked} workloads give the same answer in every implementation`);
  process.exit(mismatches.length ? 1 : 0);
}

const measured: ResultRow[] = reports.filter((r) => !r.error && r.reps.length).map((r) => {
  const eps = summarize(r.reps.map((x) => (x.events / x.ms) * 1000));
  const cpu = summarize(r.reps.map((x) => (x.events / x.cpuMs) * 1000));
  const mode = r.impl.startsWith('eddy-microbatch') ? 'microbatch' : r.impl.startsWith('eddy') ? 'native' : '-';
  return { workload: r.workload, impl: r.impl, mode, eventsPerSec: round(eps.median), eventsPerCpuSec: round(cpu.median), iqr: round(eps.iqr),
    p50Ms: null, p99Ms: null, p999Ms: null, rssMb: r.rssMb };
});
// --merge: re-measure some workloads (e.g. after a noisy moment) and keep the others' rows from latest.json.
const previous = merge && existsSync(join(resultsDir, 'latest.json'))
  ? (JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as { results: ResultRow[] }).results : [];
const remeasured = new Set(measured.map((r) => r.workload));
const rows: ResultRow[] = [...previous.filter((r) => !remeasured.has(r.workload) && !(remeasured.has('q1') && r.workload === 'q1-latency')), ...measured];

// Latency at half the measured maximum of the stateless q1, open loop, for both modes and at parallelism 2
// (a paced source is read whole: its stateless chain stays on the job's thread, docs/parallelism.md).
for (const impl of ['eddy-native', 'eddy-microbatch', 'eddy-native-p2'] as ImplName[]) {
  const max = measured.find((r) => r.workload === 'q1' && r.impl === impl)?.eventsPerSec;
  if (!max) continue;
  const l = await child<LatencyReport>(['latency', impl, String(Math.round(max / 2)), '10']);
  rows.push({ workload: 'q1-latency', impl, mode: impl === 'eddy-microbatch' ? 'microbatch' : 'native', eventsPerSec: l.ratePerSec,
    eventsPerCpuSec: null, iqr: null, p50Ms: l.p50Ms, p99Ms: l.p99Ms, p999Ms: l.p999Ms, rssMb: null });
}

const notes = [
  ...mismatches.map((m) => `MISMATCH ${m}`),
  `Checkpoints on / off: Eddy native checkpointing every ${BENCH_CHECKPOINT_MS} ms (50× more often than the default 5 s) to a local folder, fsync'd; an upper bound of the cost at 5 s.`,
  'LMDB / memory state: keyed state in LMDB (the default for deployed pipelines) against on the heap.',
  'Hand, 2 threads / 1: the hand loop on two worker threads (each reads and parses its 64 KB ranges of the file; the rows come back cut to the fields the answer reads, or each thread windows its own records and the rows merge), the same run: how far this machine lets two threads scale that work, the limit for parallelism 2 / 1 (only the workloads whose answer merges so).',
  `${events.toLocaleString('en')} events per run, ${reps} repetitions after warm-up runs of 50 000 events (at least ${WARMUP_RUNS}, for at least ${WARMUP_MS / 1000} s: steady state, code hot in every thread), one process per implementation and workload, the implementations' repetitions interleaved (round by round, each after warm-up runs for at least ${REWARM_MS / 1000} s and until one is within ${Math.round((REWARM_SLACK - 1) * 100)} % of the child's steady time, at most ${REWARM_MAX_MS / 1000} s; V8 keeps compiled code while a child waits its turn: --no-flush-bytecode --no-memory-reducer).`,
];
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), node: process.version, date: new Date().toISOString() };
// `--only flink` measures the Flink row alone and keeps the other results as they are.
const engineRows = selected.length > 0;
if (engineRows) writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify({ machine, events, reps, results: rows }, null, 2) + '\n');
const names = workloads.map((w) => w.name).filter((n) => rows.some((r) => r.workload === n));
const table = markdown(rows, names, notes);
if (engineRows) {
  writeFileSync(join(resultsDir, 'latest.md'), table);
  writeFileSync(join(resultsDir, 'ratios.svg'), svg(rows, names));
}

// The same NEXMark queries on a local Flink (started and stopped here) and in Eddy, on the same file.
const flinkRows = args.includes('--no-flink') || (only && !only.includes('flink')) ? null
  : await flinkVsEddy(await dataFile('nexmark', events, 7), events, ['q1', 'q5']);
if (flinkRows) writeFileSync(join(resultsDir, 'flink.json'), JSON.stringify({ machine, events, results: flinkRows }, null, 2) + '\n');

// docs/performance.md shows the latest tables between their markers.
const doc = join(here, '..', '..', 'docs', 'performance.md');
if (existsSync(doc)) {
  let text = readFileSync(doc, 'utf8');
  const measuredOn = `Measured ${machine.date.slice(0, 10)} on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}.`;
  if (engineRows) text = text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${measuredOn}\n\n${table}<!-- bench:end -->`);
  if (flinkRows) text = text.replace(/<!-- bench-flink:start -->[\s\S]*<!-- bench-flink:end -->/, `<!-- bench-flink:start -->\n${measuredOn}\n\n${flinkMarkdown(flinkRows)}<!-- bench-flink:end -->`);
  writeFileSync(doc, text);
}
console.log(engineRows ? table : flinkRows ? flinkMarkdown(flinkRows) : '');
process.exit(mismatches.length ? 1 : 0);
