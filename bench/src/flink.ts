import { spawnSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJob } from '@eddy/runtime';

/**
 * The same NEXMark query on the same file, in Eddy (one job in this process) and on a local Flink
 * (`eddy flink start`, then `eddy run --on flink`): events per second of the job itself — Eddy's
 * from start to done, Flink's the job's own duration and source records from its REST API — and,
 * separately, what submitting through the SQL Gateway adds (session, statements, job start).
 */
export interface FlinkRow { query: string; events: number; eddyMs: number; flinkJobMs: number; submitMs: number; flinkRecords: number }

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = join(root, 'apps/server/bin/eddy.js');
const PORTS = { rest: 18181, gateway: 18183, rpc: 16223 };

/** The example with its generator replaced by a file source over `events` (as the differential test does). */
function onFile(query: string, events: string, out: string): object {
  const doc = JSON.parse(readFileSync(join(root, 'examples/nexmark', `${query}.json`), 'utf8')) as { nodes: { kind: string; params: Record<string, unknown> }[] };
  const fields = [['type', 'string'], ['ts', 'integer'], ['id', 'integer'], ['name', 'string'], ['email', 'string'], ['city', 'string'], ['state', 'string'],
    ['item_name', 'string'], ['description', 'string'], ['initial_bid', 'integer'], ['reserve', 'integer'], ['expires', 'integer'], ['seller', 'integer'],
    ['category', 'integer'], ['auction', 'integer'], ['bidder', 'integer'], ['price', 'number'], ['channel', 'string'], ['url', 'string']]
    .map(([name, type]) => ({ name, type }));
  for (const n of doc.nodes) {
    if (n.kind === 'source.generator') {
      n.kind = 'source.file';
      n.params = { path: events, eventTime: { field: 'ts', maxOutOfOrderness: '0ms' }, fields };
    }
    if (n.kind === 'sink.file') n.params = { path: out };
  }
  return doc;
}

function run(args: string[]): Promise<{ code: number; text: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => { text += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { text += d.toString(); });
    p.on('exit', (code) => resolve({ code: code ?? 1, text, ms: performance.now() - started }));
  });
}

/** Runs each query on both engines; null (with the reason on stderr) when Java or the local Flink is not there. */
export async function flinkVsEddy(events: string, count: number, queries: string[]): Promise<FlinkRow[] | null> {
  if (spawnSync('java', ['-version']).status !== 0) {
    console.error('  flink: no Java 17 here, the Flink row is left out');
    return null;
  }
  // Beside the events file: Eddy reads and writes only under its base folder.
  const base = dirname(events);
  const dir = join(base, 'flink');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const data = join(dir, 'data');
  const start = await run(['flink', 'start', '--data', data, '--rest-port', String(PORTS.rest), '--gateway-port', String(PORTS.gateway), '--rpc-port', String(PORTS.rpc)]);
  if (start.code !== 0) {
    console.error(`  flink: the local Flink did not start, the Flink row is left out:\n${start.text}`);
    return null;
  }
  const rows: FlinkRow[] = [];
  try {
    for (const query of queries) {
      const eddyDoc = { format: 'eddy/pipeline@1', ...onFile(query, events, join(dir, `${query}-eddy.jsonl`)) };
      const job = createJob(eddyDoc as Parameters<typeof createJob>[0], { baseDir: base, metrics: false });
      const t0 = performance.now();
      await job.start();
      await job.done;
      const eddyMs = performance.now() - t0;
      const file = join(dir, `${query}-flink.json`);
      writeFileSync(file, JSON.stringify({ format: 'eddy/pipeline@1', ...onFile(query, events, join(dir, `${query}-flink`)) }));
      const r = await run(['run', file, '--on', 'flink', '--gateway', `http://127.0.0.1:${PORTS.gateway}`, '--quiet']);
      const id = /Flink job ([0-9a-f]{32})/.exec(r.text)?.[1];
      if (r.code !== 0 || !id) throw new Error(`${query} on Flink failed:\n${r.text}`);
      const jobInfo = await (await fetch(`http://127.0.0.1:${PORTS.rest}/jobs/${id}`)).json() as
        { duration: number; vertices: { name: string; metrics: { 'write-records': number } }[] };
      const source = jobInfo.vertices.find((v) => v.name.startsWith('Source:'));
      rows.push({ query, events: count, eddyMs, flinkJobMs: jobInfo.duration, submitMs: Math.max(0, r.ms - jobInfo.duration), flinkRecords: source?.metrics['write-records'] ?? 0 });
      console.error(`  flink: ${query} Eddy ${Math.round(count / eddyMs * 1000).toLocaleString('en')} ev/s, Flink ${Math.round(count / jobInfo.duration * 1000).toLocaleString('en')} ev/s `
        + `(job ${Math.round(jobInfo.duration)} ms, + ${Math.round(r.ms - jobInfo.duration)} ms submission)`);
    }
  } finally {
    await run(['flink', 'stop', '--data', data]);
  }
  return rows;
}

/** The Flink rows as a markdown table. */
export function flinkMarkdown(rows: FlinkRow[]): string {
  const eps = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString('en');
  return ['| query | events | Eddy (native), events/s | Flink 2.2 (local, parallelism 1), events/s | Flink job | submission through the SQL Gateway |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.query} | ${r.events.toLocaleString('en')} | ${eps(r.events, r.eddyMs)} | ${eps(r.events, r.flinkJobMs)} | ${(r.flinkJobMs / 1000).toFixed(1)} s | ${(r.submitMs / 1000).toFixed(1)} s |`),
  ].join('\n') + '\n';
}
