import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';
import { parseHashValue } from '../../connectors/redis/client.js';
import { LookupCache } from './lookup-cache.js';

// Real services on this machine: Redis and Postgres (no mocks).
const PG = process.env.EDDY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.EDDY_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const prefix = `eddy-test:${process.pid}:user:`;
const table = `eddy_lookup_test_${process.pid}`;
let redis: Redis;
let client: pg.Client;

beforeAll(async () => {
  redis = new Redis(REDIS);
  await redis.hset(`${prefix}u1`, { segment: 'gold', ltv: '1250.5', churn_risk: '0.1', vip: 'true' });
  await redis.hset(`${prefix}u2`, { segment: 'silver', ltv: '80' });
  await redis.set(`${prefix}json:u1`, JSON.stringify({ segment: 'gold', ltv: 1250.5, tags: ['a'] }));
  client = new pg.Client({ connectionString: PG });
  await client.connect();
  await client.query(`CREATE TABLE ${table} (user_id text PRIMARY KEY, segment text, ltv double precision)`);
  await client.query(`INSERT INTO ${table} VALUES ('u1', 'gold', 1250.5), ('u2', 'silver', 80)`);
});
afterAll(async () => {
  const keys = await redis.keys(`eddy-test:${process.pid}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.end();
});

const events = [
  { ts: 1, user_id: 'u1', page: 'a' },
  { ts: 2, user_id: 'u9', page: 'b' },
  { ts: 3, user_id: 'u2', page: 'c' },
  { ts: 4, user_id: 'u1', page: 'd' },
];
const doc = (lookup: object) => ({
  format: 'eddy/pipeline@1', name: 'remote lookup',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts' },
      fields: [{ name: 'ts', type: 'number' }, { name: 'user_id', type: 'string' }, { name: 'page', type: 'string' }] } },
    { id: 'enrich', kind: 'lookup', params: { keyField: 'user_id', key: 'user_id', ...lookup } },
    { id: 'out', kind: 'sink.log', params: {} },
  ],
  edges: [{ from: 'src', to: 'enrich' }, { from: 'enrich', to: 'out' }],
});

describe('lookup against Redis and Postgres', () => {
  it.each(['native', 'microbatch'] as const)('redis hashes: chosen fields, numbers parsed, a miss as NULL (%s)', async (mode) => {
    const r = await runPipeline(doc({ store: 'redis', url: REDIS, keyPrefix: prefix, fields: ['segment', 'ltv'] }), { src: events }, { mode });
    expect(r.outputs.enrich).toEqual([
      { ts: 1, user_id: 'u1', page: 'a', segment: 'gold', ltv: 1250.5 },
      { ts: 2, user_id: 'u9', page: 'b', segment: null, ltv: null },
      { ts: 3, user_id: 'u2', page: 'c', segment: 'silver', ltv: 80 },
      { ts: 4, user_id: 'u1', page: 'd', segment: 'gold', ltv: 1250.5 },
    ]);
  });

  it('redis: every field of the hash when none are named; JSON values; drop and dead-letter on a miss', async () => {
    const all = await runPipeline(doc({ store: 'redis', url: REDIS, keyPrefix: prefix, onMiss: 'drop' }), { src: events });
    expect(all.outputs.enrich[0]).toEqual({ ts: 1, user_id: 'u1', page: 'a', segment: 'gold', ltv: 1250.5, churn_risk: 0.1, vip: true });
    expect(all.outputs.enrich.map((x) => x.user_id)).toEqual(['u1', 'u2', 'u1']);
    const json = await runPipeline(doc({ store: 'redis', url: REDIS, keyPrefix: `${prefix}json:`, valueFormat: 'json', fields: ['tags'], onMiss: 'dead-letter' }), { src: events });
    expect(json.outputs.enrich.map((x) => [x.user_id, x.tags])).toEqual([['u1', ['a']], ['u1', ['a']]]);
    expect(json.deadLetters.map((d) => [d.nodeId, d.reason])).toEqual([
      ['enrich', 'lookup: no row for key "u9"'], ['enrich', 'lookup: no row for key "u2"'],
    ]);
  });

  it.each(['native', 'microbatch'] as const)('postgres: the row whose key column matches (%s)', async (mode) => {
    const r = await runPipeline(doc({ store: 'postgres', url: PG, table, fields: ['segment', 'ltv'], cacheTtl: '1m' }), { src: events }, { mode });
    expect(r.outputs.enrich.map((x) => [x.user_id, x.segment, x.ltv])).toEqual([['u1', 'gold', 1250.5], ['u9', null, null], ['u2', 'silver', 80], ['u1', 'gold', 1250.5]]);
  });

  it('a missing table or an unreachable store fails the deployment with the reason', async () => {
    await expect(runPipeline(doc({ store: 'postgres', url: PG, table: 'no_such_table_here' }), { src: events }))
      .rejects.toThrow(/lookup 'enrich': Postgres: relation "no_such_table_here" does not exist/);
    await expect(runPipeline(doc({ store: 'redis', url: 'redis://127.0.0.1:1' }), { src: events }))
      .rejects.toThrow(/lookup 'enrich': cannot connect to Redis/);
  });

  it('validation: remote stores need a url (and postgres a table); rows are for memory', async () => {
    const { validatePipeline } = await import('@eddy/shared');
    const errors = (p: object) => validatePipeline(doc(p)).errors.map((e) => `${e.path}: ${e.message}`);
    expect(errors({ store: 'redis' })).toEqual(['nodes[1].params.url: A redis lookup needs a url']);
    expect(errors({ store: 'postgres', url: PG })).toEqual(['nodes[1].params.table: A postgres lookup needs a table']);
    expect(errors({ store: 'redis', url: REDIS, rows: [] })).toEqual(['nodes[1].params.rows: rows and path are for the memory store, not redis']);
  });

  it('the cache answers within its TTL, forgets after it, and keeps misses too', () => {
    const cache = new LookupCache(1000, 2);
    cache.set('a', { x: 1 }, 0);
    cache.set('b', null, 0);
    expect(cache.get('a', 999)).toEqual({ x: 1 });
    expect(cache.get('b', 500)).toBeNull();
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('c', { x: 3 }, 0);
    cache.set('d', { x: 4 }, 0);
    expect(cache.size).toBe(2);
    expect(parseHashValue('12')).toBe(12);
    expect(parseHashValue('1e3')).toBe(1000);
    expect(parseHashValue('007a')).toBe('007a');
    expect(parseHashValue('')).toBe('');
  });
});
