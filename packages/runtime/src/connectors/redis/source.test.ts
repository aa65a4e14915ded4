import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind, validatePipeline, type ParamsOf } from '@eddy/shared';
import { runPipeline } from '../../harness/run-pipeline.js';
import { compareIds, RedisStreamSource } from './source.js';
import type { Rec } from '../../core/batch.js';

// The real Redis server on this machine (no mocks).
const URL = process.env.EDDY_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const ns = `eddy-test:${process.pid}`;
const stream = `${ns}:events`;
let redis: Redis;
const events = Array.from({ length: 250 }, (_, i) => ({ ts: 10_000 + i * 80 - (i % 5) * 30, user: `u${i % 4}`, amount: i % 17 }));
const ids: string[] = [];

beforeAll(async () => {
  redis = new Redis(URL);
  for (const [i, e] of events.entries()) {
    ids.push((await redis.xadd(stream, '*', 'data', JSON.stringify(e)))!);
    if (i === 100) await redis.xadd(stream, '*', 'data', '{broken');
  }
});
afterAll(async () => {
  const keys = await redis.keys(`${ns}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const source = (extra: object = {}) => ({
  id: 'src', kind: 'source.redis',
  params: { url: URL, stream, stopAtEnd: true, eventTime: { field: 'ts', maxOutOfOrderness: '500ms' },
    fields: [{ name: 'ts', type: 'number' }, { name: 'user', type: 'string' }, { name: 'amount', type: 'number' }], ...extra },
});
const pipeline = (sink: object, mode = 'x') => ({
  format: 'eddy/pipeline@1', name: 'redis',
  nodes: [
    source(),
    { id: 'w', kind: 'window', params: { size: '2s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } },
    { id: 'out', kind: 'sink.redis', params: { url: URL, ...sink } },
  ],
  edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
  description: mode,
});

/** Windows computed here, independently of the engine. */
function expected(): Map<string, { n: number; total: number }> {
  const m = new Map<string, { n: number; total: number }>();
  for (const e of events) {
    const start = Math.floor(e.ts / 2000) * 2000;
    const k = `${e.user}:${start}`;
    const acc = m.get(k) ?? { n: 0, total: 0 };
    acc.n++;
    acc.total += e.amount;
    m.set(k, acc);
  }
  return m;
}

describe('Redis stream source and Redis sink', () => {
  it.each(['native', 'microbatch'] as const)('stream → keyed window → one hash per window (%s): the independent answer', async (mode) => {
    const r = await runPipeline(pipeline({ mode: 'hash', key: `${ns}:${mode}:{user}:{window_start}` }), {}, { mode });
    expect(r.deadLetters.map((d) => d.reason)).toEqual([expect.stringMatching(/^source.redis 'src': entry \d+-\d+ has no JSON object in 'data'$/)]);
    const keys = await redis.keys(`${ns}:${mode}:*`);
    const got = new Map<string, { n: number; total: number }>();
    for (const k of keys) {
      const h = await redis.hgetall(k);
      got.set(k.slice(`${ns}:${mode}:`.length), { n: Number(h.n), total: Number(h.total) });
    }
    expect(got).toEqual(expected());
  });

  it('resumes after the checkpointed entry ID; "new" starts after what is there', async () => {
    const params = getKind('source.redis')!.params.parse(source().params) as ParamsOf<'source.redis'>;
    const resumed = new RedisStreamSource(params, 'src');
    resumed.restorePosition(ids[149]);
    const rest: Rec[] = [];
    await resumed.run({ push: (records: Rec[]) => void rest.push(...records), deadLetter: () => undefined }, new AbortController().signal);
    expect(rest).toEqual(events.slice(150));
    expect(resumed.checkpointPosition()).toBe(ids[ids.length - 1]);
    const fresh = new RedisStreamSource({ ...params, startAt: 'new' }, 'src');
    const none: Rec[] = [];
    await fresh.run({ push: (records: Rec[]) => void none.push(...records), deadLetter: () => undefined }, new AbortController().signal);
    expect(none).toEqual([]);
    expect(compareIds('1-10', '1-9')).toBeGreaterThan(0);
    expect(compareIds('2-0', '10-0')).toBeLessThan(0);
  });

  it('stream mode appends JSON entries; the fields format reads entries field by field', async () => {
    await runPipeline(pipeline({ mode: 'stream', key: `${ns}:windows`, maxLen: 10_000 }));
    const entries = await redis.xrange(`${ns}:windows`, '-', '+');
    expect(entries.length).toBe(expected().size);
    const flat = `${ns}:flat`;
    await redis.xadd(flat, '*', 'user', 'u1', 'amount', '12.5', 'vip', 'true');
    const r = await runPipeline({ format: 'eddy/pipeline@1', name: 'f', nodes: [
      { id: 'src', kind: 'source.redis', params: { url: URL, stream: flat, format: 'fields', stopAtEnd: true } },
      { id: 'log', kind: 'sink.log', params: {} }], edges: [{ from: 'src', to: 'log' }] });
    expect(r.outputs.src).toEqual([{ user: 'u1', amount: 12.5, vip: true }]);
  });

  it('guarantees: hash writes are idempotent (exactly-once allowed); stream appends are refused with the reason', () => {
    const eo = (sink: object) => validatePipeline({ ...pipeline(sink), settings: { guarantee: 'exactly-once' } }).errors.map((e) => e.message);
    expect(eo({ mode: 'hash', key: 'k:{user}' })).toEqual([]);
    expect(eo({ mode: 'stream', key: 'k' })).toEqual([expect.stringMatching(/sink.redis 'out' cannot give it: an appended entry cannot be taken back/)]);
    expect(validatePipeline(pipeline({ mode: 'hash', key: 'k:{nope}' })).errors.map((e) => e.message)).toEqual([expect.stringMatching(/nope/)]);
  });
});
