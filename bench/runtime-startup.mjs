// Start-up cost of the runtime (docs/performance.md): `import('@eddy/runtime')` in a fresh
// process, and a worker job from createWorkerJob until start() resolves (a new thread that
// loads the runtime, builds the job and opens its nodes). Not part of npm test.
// Run: npx tsc -b && node bench/runtime-startup.mjs [runtime dist folder] [runs]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.argv[2] ? pathToFileURL(join(process.argv[2], '/')) : new URL('../packages/runtime/dist/', import.meta.url);
const runs = Number(process.argv[3] ?? 5);
const index = new URL('index.js', dist).href;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const importMs = [];
for (let i = 0; i < runs; i++) {
  const script = `const t = performance.now(); await import(${JSON.stringify(index)}); console.log(performance.now() - t);`;
  importMs.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
}

// Generated clicks to a live table: no connector library, so the thread loads only what every job needs.
const document = {
  format: 'eddy/pipeline@1', name: 'startup',
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 10, limit: 1, seed: 1 } },
    { id: 'live', kind: 'sink.live', params: { maxRows: 10 } },
  ],
  edges: [{ from: 'clicks', to: 'live' }],
};
const { createWorkerJob } = await import(index);
async function workerStarts(withState) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const baseDir = mkdtempSync(join(tmpdir(), 'eddy-startup-'));
    const t = performance.now();
    const job = createWorkerJob(document, { baseDir, ...(withState && { stateDir: join(baseDir, 'state') }) });
    await job.start();
    ms.push(performance.now() - t);
    await job.stop();
    await job.done;
    rmSync(baseDir, { recursive: true, force: true });
  }
  return ms;
}
const startMs = await workerStarts(false);
const startWithStateMs = await workerStarts(true);

const show = (xs) => `median ${Math.round(median(xs))} ms (runs: ${xs.map((x) => Math.round(x)).join(', ')})`;
console.log(`runtime ${dist.pathname}`);
console.log(`import('@eddy/runtime'): ${show(importMs)}`);
console.log(`worker job start:        ${show(startMs)}`);
console.log(`  with state on disk:    ${show(startWithStateMs)}`);
