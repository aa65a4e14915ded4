// `npm run bench:api [-- --seconds 10]`: how fast the API answers while the bench's heaviest
// workload shape (apps/server/src/jobs/heavy-load.ts: a full-speed generator into a 10 s / 2 s
// sliding window over 100 000 auctions) runs. Starts the built server (apps/server/dist/main.js)
// once per mode — idle, jobs on worker threads (the default), jobs on the API's thread
// (EDDY_JOB_THREADS=off) — and times GET /api/health and GET /api/pipelines, one request every
// 10 ms. Measures, asserts nothing: writes bench/results/api-latency.{json,md} and the table in
// docs/performance.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './setup.mjs';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1] || 0) || 10;
const { heavyPipeline } = await import(join(root, 'apps/server/dist/jobs/heavy-load.js'));

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.once('error', reject);
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(env) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'eddy-api-latency-'));
  const child = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', EDDY_DATA: dataDir }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('Eddy is running at')) resolve(); });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    async stop() { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); rmSync(dataDir, { recursive: true, force: true }); },
  };
}

async function timed(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return performance.now() - t0;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function measure(mode, env, loaded) {
  const server = await startServer(env);
  try {
    let id = null;
    if (loaded) {
      const created = await fetch(`${server.base}/api/pipelines`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(heavyPipeline('api latency load')) });
      id = (await created.json()).id;
      await fetch(`${server.base}/api/pipelines/${id}/deploy`, { method: 'POST' });
      await sleep(2000); // past start-up: state has grown and windows fire
    }
    const recordsIn = async () => (id ? (await (await fetch(`${server.base}/api/pipelines/${id}/metrics`)).json()).nodes.hot.recordsIn : 0);
    const before = await recordsIn();
    const started = performance.now();
    const samples = [];
    for (let i = 0; performance.now() - started < seconds * 1000; i++) {
      samples.push(await timed(`${server.base}${i % 2 ? '/api/pipelines' : '/api/health'}`));
      await sleep(10);
    }
    const elapsed = (performance.now() - started) / 1000;
    const rate = Math.round(((await recordsIn()) - before) / elapsed);
    const sorted = [...samples].sort((a, b) => a - b);
    const r2 = (x) => Math.round(x * 100) / 100;
    return { mode, requests: samples.length, p50Ms: r2(pct(sorted, 50)), p99Ms: r2(pct(sorted, 99)), maxMs: r2(sorted.at(-1)), windowRecordsPerSec: rate };
  } finally {
    await server.stop();
  }
}

const results = [];
for (const [mode, env, loaded] of [
  ['idle (no pipeline)', {}, false],
  ['heavy pipeline, jobs on worker threads (default)', {}, true],
  ['heavy pipeline, jobs on the API thread (EDDY_JOB_THREADS=off)', { EDDY_JOB_THREADS: 'off' }, true],
]) {
  const r = await measure(mode, env, loaded);
  console.error(`${mode}: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms over ${r.requests} requests; window takes ${r.windowRecordsPerSec.toLocaleString('en')} records/s`);
  results.push(r);
}

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, date: new Date().toISOString() };
const md = [
  `API response time under load (${seconds} s per mode, GET /api/health and /api/pipelines every 10 ms; ${machine.date.slice(0, 10)}, ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node})`,
  '',
  '| mode | requests | p50 ms | p99 ms | max ms | window records/s |',
  '|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.mode} | ${r.requests} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.windowRecordsPerSec.toLocaleString('en')} |`),
  '',
].join('\n');
const out = join(root, 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'api-latency.json'), JSON.stringify({ machine, seconds, results }, null, 2) + '\n');
writeFileSync(join(out, 'api-latency.md'), md);
// docs/performance.md shows the latest table between its markers.
const doc = join(root, 'docs', 'performance.md');
if (existsSync(doc)) {
  writeFileSync(doc, readFileSync(doc, 'utf8').replace(/<!-- api-latency:start -->[\s\S]*<!-- api-latency:end -->/, `<!-- api-latency:start -->\n${md}<!-- api-latency:end -->`));
}
console.log(md);
