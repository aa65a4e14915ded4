// Where one workload's time goes, per thread: runs it in this process (warm-up runs of the
// 50 000-event file, then timed runs of the 400 000-event one, each after warm-up runs as
// the bench does) and prints, per run, the wall time, the process's CPU, the CPU of the job's
// thread, of the two busiest other threads (the subtasks at parallelism 2) and of the rest (V8's
// helpers), and the context switches of each (voluntary: went to sleep; involuntary: preempted),
// all from /proc/self/task (Linux, 10 ms ticks). Build first (`npx tsc -b`); the data files are the
// bench's (written here if missing). Run it with the bench children's flags, e.g.
//   node --no-flush-bytecode --no-memory-reducer bench/thread-cpu.mjs ysb eddy-native-p2 [runs]
import { readdirSync, readFileSync } from 'node:fs';
import { dataFile } from './dist/data-files.js';
import { runners } from './dist/impls.js';
import { Warmer } from './dist/warm.js';
import { workloads } from './dist/workloads.js';

const [name = 'ysb', impl = 'eddy-native-p2', runsArg = '7'] = process.argv.slice(2);
const w = workloads.find((x) => x.name === name);
if (!w || !runners[impl]) {
  console.error(`usage: node bench/thread-cpu.mjs <${workloads.map((x) => x.name).join('|')}> <${Object.keys(runners).join('|')}> [runs]`);
  process.exit(2);
}
/** Per thread: CPU ms and context switches so far. */
function threads() {
  const out = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      const count = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)[1]);
      out.set(tid, { cpu: (Number(f[11]) + Number(f[12])) * 10, slept: count('voluntary_ctxt_switches'), preempted: count('nonvoluntary_ctxt_switches') });
    } catch {
      // a thread that ended meanwhile
    }
  }
  return out;
}

const big = await dataFile(w.scenario, 400_000, 7);
const small = await dataFile(w.scenario, 50_000, 11);
const run = runners[impl];
const warmer = new Warmer(() => run(w, small, () => undefined));
await warmer.initial();
const walls = [];
for (let r = 0; r < Number(runsArg); r++) {
  await warmer.again();
  const before = threads();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  await run(w, big, () => { rows++; });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const others = [];
  let job = null;
  for (const [tid, t] of threads()) {
    const b = before.get(tid) ?? { cpu: 0, slept: 0, preempted: 0 };
    const d = { cpu: t.cpu - b.cpu, slept: t.slept - b.slept, preempted: t.preempted - b.preempted };
    if (tid === String(process.pid)) job = d;
    else if (d.cpu > 0 || d.slept > 0) others.push(d);
  }
  others.sort((a, b) => b.cpu - a.cpu);
  const busy = others.slice(0, 2);
  const rest = others.slice(2).reduce((sum, d) => sum + d.cpu, 0);
  walls.push(ms);
  console.log(`${impl} ${name} run ${r}: ${ms.toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, ${rows} rows | `
    + `job's thread ${job.cpu} ms (slept ${job.slept}, preempted ${job.preempted})`
    + busy.map((d, i) => `, thread ${i + 1} ${d.cpu} ms (slept ${d.slept}, preempted ${d.preempted})`).join('')
    + `, rest ${rest} ms`);
}
walls.sort((a, b) => a - b);
console.log(`median ${walls[walls.length >> 1].toFixed(0)} ms`);
process.exit(0);
