import { createHash } from 'node:crypto';
import { createJob } from '@eddy/runtime';
import { runners, WARMUP_MS, WARMUP_RUNS, type ImplName } from './impls.js';
import { workloads } from './workloads.js';

/**
 * One implementation × one workload, in its own process: a warm-up run, then timed
 * repetitions. Reports wall time, CPU time, peak RSS and a digest of the answer.
 */
export interface RepResult { ms: number; cpuMs: number; digest: string; events: number }
export interface ChildReport { impl: ImplName; workload: string; reps: RepResult[]; rssMb: number; error?: string }
export interface LatencyReport { impl: ImplName; ratePerSec: number; p50Ms: number; p99Ms: number; p999Ms: number; count: number; error?: string }

const digestOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

async function throughput(impl: ImplName, name: string, path: string, warmup: string | undefined, reps: number, events: number) {
  const w = workloads.find((x) => x.name === name)!;
  const run = runners[impl];
  // Steady state for every implementation (impls.ts WARMUP_MS says why it is a time too).
  const warmStart = performance.now();
  if (warmup) for (let i = 0; i < WARMUP_RUNS || performance.now() - warmStart < WARMUP_MS; i++) await run(w, warmup, () => undefined);
  const results: RepResult[] = [];
  for (let i = 0; i < reps; i++) {
    const agg = w.aggregator();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await run(w, path, (r) => agg.add(r));
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    results.push({ ms, cpuMs: (cpu.user + cpu.system) / 1000, digest: digestOf(agg.result()), events });
  }
  const report: ChildReport = { impl, workload: name, reps: results, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
  return report;
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
  const out = kind === 'latency'
    ? await latency(impl as ImplName, Number(rest[0]), Number(rest[1]))
    : await throughput(impl as ImplName, rest[0], rest[1], rest[2] || undefined, Number(rest[3]), Number(rest[4]));
  process.send!(out);
} catch (err) {
  process.send!({ impl, workload: rest[0], reps: [], rssMb: 0, error: (err as Error).stack ?? String(err) });
}
process.exit(0);
