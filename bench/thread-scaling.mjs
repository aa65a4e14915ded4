// How far two threads can scale on this machine, without Eddy: k worker threads each parse the
// same 200 000 JSON lines five times (the bench's NEXMark file); wall time per k. Perfect scaling
// keeps the time flat as k grows up to the core count. Usage: node bench/thread-scaling.mjs [file]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';

if (isMainThread) {
  const file = process.argv[2] ?? '/tmp/eddy-bench-data/nexmark-400000-7.jsonl';
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(0, 200_000);
  const run = (k) => new Promise((resolve) => {
    let done = 0;
    const workers = Array.from({ length: k }, () => new Worker(new URL(import.meta.url), { workerData: { lines } }));
    let t0 = 0;
    let ready = 0;
    for (const w of workers) {
      w.on('message', (m) => {
        if (m === 'ready') { if (++ready === k) { t0 = performance.now(); for (const x of workers) x.postMessage('go'); } return; }
        if (++done === k) { resolve(performance.now() - t0); for (const x of workers) void x.terminate(); }
      });
    }
  });
  const one = [];
  const two = [];
  for (let rep = 0; rep < 3; rep++) { one.push(await run(1)); two.push(await run(2)); }
  const med = (a) => a.sort((x, y) => x - y)[1];
  console.log(JSON.stringify({ oneThreadMs: Math.round(med(one)), twoThreadsMs: Math.round(med(two)), twoThreadScaling: +((2 * med(one)) / med(two)).toFixed(2) }));
} else {
  parentPort.postMessage('ready');
  parentPort.once('message', () => {
    let n = 0;
    for (let rep = 0; rep < 5; rep++) for (const l of workerData.lines) n += JSON.parse(l).ts ?? 0;
    parentPort.postMessage(n);
  });
}
