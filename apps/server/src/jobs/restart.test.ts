import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { eventually, startServer, type TestServer } from '../test-utils/harness.js';

const PG_URL = process.env.EDDY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = 8000;

let s: TestServer;
let admin: pg.Client;
const tables: string[] = [];
beforeAll(async () => {
  s = await startServer();
  admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  mkdirSync(join(s.dataDir, 'in'), { recursive: true });
  writeFileSync(join(s.dataDir, 'in/events.jsonl'),
    Array.from({ length: EVENTS }, (_, i) => JSON.stringify({ id: i, ts: 1_700_000_000_000 + i * 10, amount: i % 50 })).join('\n') + '\n');
});
afterAll(async () => {
  for (const t of tables) await admin.query(`DROP TABLE IF EXISTS ${t}`);
  await admin.end();
  await s.destroy();
});

/** A file replayed into an exactly-once Postgres table; the sink's connections carry a name the test can cut. */
function pipeline(restart: object) {
  const suffix = `${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const table = `eddy_restart_${suffix}`;
  const app = `eddy_restart_${suffix}`;
  tables.push(table);
  const doc = {
    format: 'eddy/pipeline@1', name: `restart ${suffix}`,
    settings: { guarantee: 'exactly-once', checkpointIntervalMs: 150, restart },
    nodes: [
      { id: 'src', kind: 'source.file', params: { path: 'in/events.jsonl', ratePerSec: 2000 } },
      { id: 'out', kind: 'sink.postgres', params: { url: `${PG_URL}?application_name=${app}`, table } },
    ],
    edges: [{ from: 'src', to: 'out' }],
  };
  return { doc, table, app };
}

const rowCount = async (table: string) => {
  try {
    return Number((await admin.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } catch {
    return 0; // not created yet
  }
};

/** Cuts the sink's connections as an outage would; the number cut. */
const cut = async (app: string) =>
  (await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app])).rowCount ?? 0;

async function expectEveryRowOnce(table: string) {
  const { rows } = await admin.query(`SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM ${table}`);
  expect(rows[0]).toEqual({ n: String(EVENTS), d: String(EVENTS), lo: 0, hi: EVENTS - 1 });
}

describe('restart strategy: a failed job restarts from its latest checkpoint', () => {
  it('Postgres connections cut twice: the job restarts by fixed-delay, the table has every row exactly once', async () => {
    const { doc, table, app } = pipeline({ strategy: 'fixed-delay', attempts: 5, delay: '200ms' });
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);

    let cuts = 0;
    for (const atLeast of [1000, 3500]) {
      await eventually(async () => (await rowCount(table)) >= atLeast, `${atLeast} rows in the table`);
      if ((await cut(app)) > 0) cuts++;
      await eventually(async () => ((await s.api(`/api/pipelines/${id}/status`)).body.restart?.attempt ?? 0) >= cuts, `restart ${cuts}`);
    }
    expect(cuts).toBeGreaterThanOrEqual(1);
    const status = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${id}/status`)).body;
      if (st.state === 'failed') throw new Error(`failed: ${st.error}`);
      return st.state === 'finished' && st;
    }, 'the job to finish after its restarts', 60_000);
    expect(status.restart).toMatchObject({ attempt: cuts, maxAttempts: 5 });
    expect(status.restart.lastError).toContain("sink.postgres 'out'");
    await expectEveryRowOnce(table);
  });

  it('strategy none: the job fails naming the node; a plain redeploy resumes from the latest checkpoint', async () => {
    const { doc, table, app } = pipeline({ strategy: 'none' });
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => (await rowCount(table)) >= 1500, 'rows in the table');
    expect(await cut(app)).toBeGreaterThan(0);
    const failed = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${id}/status`)).body;
      return st.state === 'failed' && st;
    }, 'the job to fail');
    expect(failed.error).toContain("sink.postgres 'out'");
    const next = (await s.api(`/api/pipelines/${id}/plan`)).body.next;
    expect(next.checkpointId).toEqual(expect.any(Number));

    const redeployed = await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' });
    expect(redeployed.status).toBe(200);
    expect(redeployed.body.plan.checkpointId).toBe(next.checkpointId);
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.state === 'finished', 'the redeployed job to finish', 60_000);
    await expectEveryRowOnce(table);
  });

  it('one sink\'s outage does not double another exactly-once sink of the same job', async () => {
    const a = pipeline({ strategy: 'fixed-delay', attempts: 5, delay: '200ms' });
    const b = pipeline({});
    const doc = { ...a.doc, nodes: [...a.doc.nodes, { ...b.doc.nodes[1], id: 'other' }], edges: [...a.doc.edges, { from: 'src', to: 'other' }] };
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
    await eventually(async () => (await rowCount(a.table)) >= 2000, 'rows in the first table');
    expect(await cut(a.app)).toBeGreaterThan(0);
    await eventually(async () => (await s.api(`/api/pipelines/${id}/status`)).body.state === 'finished', 'the job to finish', 60_000);
    expect((await s.api(`/api/pipelines/${id}/status`)).body.restart.attempt).toBe(1);
    await expectEveryRowOnce(a.table);
    await expectEveryRowOnce(b.table);
  });

  it('after its attempts the pipeline fails for good, with the attempt count and the error', async () => {
    const { doc } = pipeline({ strategy: 'fixed-delay', attempts: 2, delay: '50ms' });
    doc.nodes[1].params.url = 'postgres://postgres@127.0.0.1:1/nowhere'; // nothing listens there
    const id = (await s.api('/api/pipelines', { method: 'POST', json: doc })).body.id as string;
    expect((await s.api(`/api/pipelines/${id}/deploy`, { method: 'POST' })).status).toBe(200);
    const failed = await eventually(async () => {
      const st = (await s.api(`/api/pipelines/${id}/status`)).body;
      return st.state === 'failed' && st;
    }, 'the pipeline to fail for good');
    expect(failed.restart).toMatchObject({ attempt: 2, maxAttempts: 2, nextAttemptAt: null });
    expect(failed.error).toContain("sink.postgres 'out'");
    // Stopping it or deploying it again works as for any stopped pipeline.
    expect((await s.api(`/api/pipelines/${id}/stop`, { method: 'POST' })).status).toBe(200);
  });
});
