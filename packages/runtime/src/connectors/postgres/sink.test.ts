import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';

const URL = process.env.EDDY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const table = `eddy_sink_test_${process.pid}`;
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: URL });
  await client.connect();
});
afterAll(async () => {
  await client.query(`DROP TABLE IF EXISTS ${table}_a, ${table}_u`);
  await client.end();
});

const doc = (sink: object, guarantee = 'at-least-once') => ({
  format: 'eddy/pipeline@1', name: 'pg', settings: { guarantee },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts' } } },
    { id: 'out', kind: 'sink.postgres', params: { url: URL, ...sink } },
  ],
  edges: [{ from: 'src', to: 'out' }],
});
const input = [
  { ts: 1, user: 'a', amount: 5, tags: ['x'], ok: true },
  { ts: 2, user: 'b', amount: 7.5, tags: [], ok: false },
  { ts: 3, user: 'a', amount: 9, tags: ['y', 'z'], ok: true },
];

describe('sink.postgres', () => {
  it('appends every record, with a column per field (numbers, text, booleans, JSON)', async () => {
    await runPipeline(doc({ table: `${table}_a` }), { src: input });
    const { rows } = await client.query(`SELECT "user", amount, tags, ok FROM ${table}_a ORDER BY ts`);
    expect(rows).toEqual([
      { user: 'a', amount: 5, tags: ['x'], ok: true },
      { user: 'b', amount: 7.5, tags: [], ok: false },
      { user: 'a', amount: 9, tags: ['y', 'z'], ok: true },
    ]);
  });

  it('upserts by key: the last record of each key wins, in both guarantees', async () => {
    for (const guarantee of ['at-least-once', 'exactly-once']) {
      await runPipeline(doc({ table: `${table}_u`, mode: 'upsert', key: ['user'] }, guarantee), { src: input });
      const { rows } = await client.query(`SELECT "user", amount FROM ${table}_u ORDER BY "user"`);
      expect(rows).toEqual([{ user: 'a', amount: 9 }, { user: 'b', amount: 7.5 }]);
    }
  });

  it('a bad connection fails the job at open with the reason', async () => {
    const bad = doc({ url: 'postgres://nobody@127.0.0.1:1/none', table: 't' });
    await expect(runPipeline(bad, { src: input })).rejects.toThrow(/sink.postgres 'out': cannot connect/);
  });
});
