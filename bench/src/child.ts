import { createHash } from 'node:crypto';
import { createJob } from '@eddy/runtime';
import { runners, type ImplName } from './impls.js';
import { Warmer } from './warm.js';
import { workloads } from './workloads.js';

/**
 * One implementation × one workload, in its own process: warm-up runs, then timed repetitions,
 * one each time the parent asks (`rep`), so that the parent can interleave the implementations'
 * repetitions (bench/src/run.ts). Reports wall time, CPU time and a digest of the answer per
 * repetition, and the peak RSS at the end (`done`).
 */
/** `rewarmRuns`: warm-up runs before it (bench/src/warm.ts). */
export interface RepResult { ms: number; cpuMs: number; digest: string; events: number; rewarmRuns: number }
export interface ChildReport { impl: ImplName; workload: string; reps: RepResult[]; rssMb: number; error?: string }
export interface LatencyReport { impl: ImplName; ratePerSec: number; p50Ms: number; p99Ms: number; p999Ms: number; count: number; error?: string }
/** Parent → throughput child. */
export type ChildCommand = { t: 'rep' } | { t: 'done' };
/** Throughput child → parent: warmed up, one repetition's result (or its failure), the final report. */
export type ChildMessage = { t: 'warm' } | { t: 'rep'; rep?: RepResult; error?: string } | { t: 'report'; report: ChildReport };

const digestOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

async function throughput(impl: ImplName, name: string, path: string, warmup: string | undefined, events: number): Promise<ChildReport> {
  const w = workloads.find((x) => x.name === name)!;
  const run = runners[impl];
  // Steady state for every implementation (impls.ts WARMUP_MS says why it is a time too); none in --quick.
  const warmer = warmup ? new Warmer(() => run(w, warmup, () => undefined)) : null;
  await warmer?.initial();
  const reps: RepResult[] = [];
  const commands: ChildCommand[] = [];
  let wake: (() => void) | null = null;
  process.on('message', (m: ChildCommand) => { commands.push(m); wake?.(); });
  process.send!({ t: 'warm' } satisfies ChildMessage);
  for (;;) {
    if (!commands.length) await new Promise<void>((r) => { wake = r; });
    wake = null;
    const command = commands.shift()!;
    if (command.t === 'done') break;
    try {
      // Back to the steady state first: a process idle while the others ran is measurably slower
      // on its next runs (bench/src/warm.ts).
      const rewarmRuns = (await warmer?.again()) ?? 0;
      const agg = w.aggregator();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await run(w, path, (r) => agg.add(r));
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const rep = { ms, cpuMs: (cpu.user + cpu.system) / 1000, digest: digestOf(agg.result()), events, rewarmRuns };
      reps.push(rep);
      process.send!({ t: 'rep', rep } satisfies ChildMessage);
    } catch (err) {
      process.send!({ t: 'rep', error: (err as Error).stack ?? String(err) } satisfies ChildMessage);
    }
  }
  return { impl, workload: name, reps, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** Open loop: a generator paced at `rate` (latency counted from each event's due time), a stateless pipeline. */
async function latency(impl: ImplName, rate: number, seconds: number): Promise<LatencyReport> {
  const job = createJob({
    format: 'eddy/pipeline@1', name: 'latency',
    settings: { mode: impl === 'eddy-microbatch' ? 'microbatch' : 'native', batchIntervalMs: 200, ...(impl === 'eddy-native-p2' && { parallelism: 2 }) },
    nodes: [
      { id: 'src', kind: 'source.generator', params: { scenario: 'nexmark', ratePerSec: rate, seed: 1 } },
      { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
      { id: 'euros', kind: 'map', params: { fields: [{ name: 'auction', expr: 'auction' }, { name: 'price', expr: 'price * 0.908' }] } },
    ],
    edges: [{ from: 'src', to: 'bids' }, { from: 'bids', to: 'euros' }],
  }, { baseDir: process.cwd() });
  await job.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const l = job.metrics().nodes.euros.latencyMs;
  await job.stop();
  return { impl, ratePerSec: rate, p50Ms: l.p50, p99Ms: l.p99, p999Ms: l.p999, count: l.count };
}

const [kind, impl, ...rest] = process.argv.slice(2);
try {
  if (kind === 'latency') process.send!(await latency(impl as ImplName, Number(rest[0]), Number(rest[1])));
  else process.send!({ t: 'report', report: await throughput(impl as ImplName, rest[0], rest[1], rest[2] || undefined, Number(rest[3])) } satisfies ChildMessage);
} catch (err) {
  const error = (err as Error).stack ?? String(err);
  process.send!(kind === 'latency' ? { impl, ratePerSec: 0, p50Ms: 0, p99Ms: 0, p999Ms: 0, count: 0, error }
    : { t: 'report', report: { impl: impl as ImplName, workload: rest[0], reps: [], rssMb: 0, error } } satisfies ChildMessage);
}
process.exit(0);
