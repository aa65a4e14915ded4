import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createJob } from '@eddy/runtime';
import pg from 'pg';
import { connect } from 'nats';
import { ServerProcess, freePort, seeded, untilFinished } from './server-process.js';

const EVENTS = 24_000;

function writeInput(dir: string): void {
  const rnd = seeded(99);
  const lines: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    lines.push(JSON.stringify({ id: i, ts: 1_700_000_000_000 + i * 20 - Math.floor(rnd() * 1500), user: `u${Math.floor(rnd() * 30)}`, amount: Math.floor(rnd() * 50) }));
  }
  mkdirSync(join(dir, 'in'), { recursive: true });
  writeFileSync(join(dir, 'in/events.jsonl'), lines.join('\n') + '\n');
}

const PG_URL = process.env.EDDY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NATS_URL = process.env.EDDY_TEST_NATS ?? 'nats://127.0.0.1:4222';

type SourceOf = (ratePerSec: number) => object;
const fileSource: SourceOf = (ratePerSec) => ({ kind: 'source.file', params: { path: 'in/events.jsonl', ratePerSec, eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } });

const crashPipeline = (guarantee: string, ratePerSec: number, sink: object = { kind: 'sink.file', params: { path: 'out/rows.jsonl' } }, stateless = false,
  sourceOf: SourceOf = fileSource, parallelism = 1) => ({
  format: 'eddy/pipeline@1', name: `crash ${guarantee}`,
  settings: { guarantee, checkpointIntervalMs: 150, retainedCheckpoints: 2, ...(parallelism > 1 && { parallelism }) },
  nodes: [
    { id: 'src', ...sourceOf(ratePerSec) },
    stateless
      ? { id: 'w', kind: 'filter', params: { where: 'amount >= 10' } }
      : { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } },
    { id: 'out', ...sink },
  ],
  edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
});

/** The rows of a run that never crashed (in process, as fast as possible). */
async function expectedRows(dir: string, doc: object): Promise<string[]> {
  const ref = mkdtempSync(join(tmpdir(), 'eddy-ref-'));
  mkdirSync(join(ref, 'in'));
  writeFileSync(join(ref, 'in/events.jsonl'), readFileSync(join(dir, 'in/events.jsonl')));
  const job = createJob(doc, { baseDir: ref });
  await job.start();
  await job.done;
  return lines(join(ref, 'out/rows.jsonl'));
}

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean);
const counts = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

/** Deploys, kills the server -9 `kills` times at seeded moments, restarts it each time, waits for the end. */
async function crashRun(guarantee: string, kills: number, seed: number, sink?: object, stateless = false, sourceOf: SourceOf = fileSource, parallelism = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-crash-'));
  writeInput(dir);
  const server = new ServerProcess(dir, await freePort());
  running.push(server);
  const doc = crashPipeline(guarantee, 6000, sink, stateless, sourceOf, parallelism);
  await server.start();
  const created = await server.api('/api/pipelines', doc);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await server.api(`/api/pipelines/${id}/deploy`, {})).status).toBe(200);
  const rnd = seeded(seed);
  let checkpointsSeen = 0;
  let resumedFromCheckpoint = 0;
  for (let k = 0; k < kills; k++) {
    // A parallel job starts its subtask threads first: kills come later, so checkpoints complete between them.
    const first = parallelism > 1 ? 600 : 120;
    await new Promise((r) => setTimeout(r, first + Math.floor(rnd() * 380)));
    checkpointsSeen += (await server.api(`/api/pipelines/${id}/checkpoints`)).body.checkpoints.length > 0 ? 1 : 0;
    await server.kill();
    await server.start(); // resumes the deployed pipeline from its latest complete checkpoint
    const plan = (await server.api(`/api/pipelines/${id}/plan`)).body;
    if (plan.current?.checkpointId) resumedFromCheckpoint++;
  }
  await untilFinished(server, id);
  await server.kill();
  return { got: sink ? [] : lines(join(dir, 'out/rows.jsonl')), want: await expectedRows(dir, crashPipeline(guarantee, 0, undefined, stateless, sourceOf)), checkpointsSeen, resumedFromCheckpoint };
}

const running: ServerProcess[] = [];
afterEach(async () => { for (const s of running.splice(0)) await s.kill(); });

describe('crash: kill -9 the server at seeded moments, restart, compare with a run that never crashed', { timeout: 120_000 }, () => {
  it('exactly-once: no row missing, none duplicated (10 kills)', async () => {
    const { got, want, checkpointsSeen, resumedFromCheckpoint } = await crashRun('exactly-once', 10, 2026);
    expect(want.length).toBeGreaterThan(500);
    expect(checkpointsSeen).toBeGreaterThan(0);
    expect(resumedFromCheckpoint).toBeGreaterThanOrEqual(5); // most restarts resumed mid-input
    expect(got.length).toBe(want.length);
    expect(counts(got)).toEqual(counts(want));
  });

  it('exactly-once at parallelism 2 (window in two subtasks): every row once after 8 kills, as the one-thread run without a crash', async () => {
    const { got, want, resumedFromCheckpoint } = await crashRun('exactly-once', 8, 515, undefined, false, fileSource, 2);
    expect(want.length).toBeGreaterThan(500);
    expect(resumedFromCheckpoint).toBeGreaterThanOrEqual(4);
    expect(got.length).toBe(want.length);
    expect(counts(got)).toEqual(counts(want));
  });

  it('at-least-once: no row missing (10 kills)', async () => {
    const { got, want, resumedFromCheckpoint } = await crashRun('at-least-once', 10, 7);
    expect(resumedFromCheckpoint).toBeGreaterThanOrEqual(5);
    const have = counts(got);
    const missing = want.filter((l) => !have.has(l));
    expect(missing).toEqual([]);
  });
});

describe('crash, at-most-once', { timeout: 120_000 }, () => {
  it('a stateless pipeline (filter → file) repeats no record after 6 kills (some may be lost)', async () => {
    const { got, want } = await crashRun('at-most-once', 6, 11, undefined, true);
    const have = counts(got);
    const allowed = counts(want);
    const repeated = [...have].filter(([line, n]) => n > (allowed.get(line) ?? 0));
    expect(repeated).toEqual([]);
    expect(got.length).toBeGreaterThan(0);
  });
});

describe('crash with sink.postgres (the real Postgres on this machine)', { timeout: 120_000 }, () => {
  it('exactly-once: the table holds every window row once after 10 kills', async () => {
    const table = `eddy_crash_${process.pid}_${Date.now()}`;
    const { want, resumedFromCheckpoint } = await crashRun('exactly-once', 10, 31, { kind: 'sink.postgres', params: { url: PG_URL, table } });
    expect(resumedFromCheckpoint).toBeGreaterThanOrEqual(5);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT "user", window_start, window_end, n, total FROM ${table}`);
      const got = rows.map((r) => [r.user, Number(r.window_start), Number(r.window_end), Number(r.n), Number(r.total)].join('|'));
      const expected = want.map((l) => { const r = JSON.parse(l); return [r.user, r.window_start, r.window_end, r.n, r.total].join('|'); });
      expect(got.length).toBe(expected.length);
      expect(counts(got)).toEqual(counts(expected));
    } finally {
      await client.query(`DROP TABLE IF EXISTS ${table}`);
      await client.end();
    }
  });
});

describe('crash with a NATS JetStream source (the real NATS server on this machine)', { timeout: 120_000 }, () => {
  it('exactly-once: the stream sequence in the checkpoint resumes it with no row missing or twice (6 kills)', async () => {
    const stream = `EDDY_CRASH_${process.pid}`;
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`eddy.crash.${process.pid}`] });
    try {
      // The same events as the file scenarios, published once.
      const dir = mkdtempSync(join(tmpdir(), 'eddy-nats-input-'));
      writeInput(dir);
      const events = lines(join(dir, 'in/events.jsonl'));
      const js = nc.jetstream();
      for (let i = 0; i < events.length; i += 500) await Promise.all(events.slice(i, i + 500).map((e) => js.publish(`eddy.crash.${process.pid}`, e)));
      const natsSource: SourceOf = (ratePerSec) => ({ kind: 'source.nats', params: { url: NATS_URL, stream, stopAtEnd: true, ratePerSec,
        eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } });
      const { got, want, resumedFromCheckpoint } = await crashRun('exactly-once', 6, 404, undefined, false, natsSource);
      expect(want.length).toBeGreaterThan(500);
      expect(resumedFromCheckpoint).toBeGreaterThanOrEqual(3);
      expect(got.length).toBe(want.length);
      expect(counts(got)).toEqual(counts(want));
    } finally {
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
    }
  });
});
