import { describe, expect, it } from 'vitest';
import { canonicalJson, endpoint, fingerprintChanges, getKind, stateFingerprintOf } from './index.js';

const windowParams = { type: 'tumbling', size: '5s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] };
const fp = (kind: string, params: unknown) => stateFingerprintOf(getKind(kind), params)!;

describe('state fingerprints', () => {
  it('are canonical: key order, defaults and duration spelling do not matter', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    const base = fp('window', windowParams);
    expect(fp('window', { ...windowParams, size: '5000ms', allowedLateness: '0ms' })).toBe(base);
    // An output name is applied when a window fires: renaming keeps the state.
    expect(fp('window', { ...windowParams, aggregates: [{ name: 'count', fn: 'count' }, { name: 'sum', fn: 'sum', field: 'amount' }] })).toBe(base);
    // A tumbling window's slide is not used.
    expect(fp('window', { ...windowParams, slide: '1s' })).toBe(base);
    expect(fp('filter', { where: 'true' })).toBeUndefined();
  });

  it('change with what the state means, and name the change', () => {
    const base = fp('window', windowParams);
    const cases: [object, string][] = [
      [{ size: '10s' }, 'size 5s → 10s'],
      [{ keyBy: ['country'] }, 'keyBy [user] → [country]'],
      [{ aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'avg', field: 'amount' }] }, 'aggregates [count, sum(amount)] → [count, avg(amount)]'],
      [{ aggregates: [{ name: 'total', fn: 'sum', field: 'amount' }, { name: 'n', fn: 'count' }] }, 'aggregates [count, sum(amount)] → [sum(amount), count]'],
      [{ allowedLateness: '1m' }, 'allowedLateness 0ms → 1m'],
    ];
    for (const [change, text] of cases) expect(fingerprintChanges(base, fp('window', { ...windowParams, ...change }))).toEqual([text]);
    expect(fingerprintChanges(base, fp('window', { ...windowParams, type: 'session', gap: '30s', size: undefined })))
      .toEqual(['size 5s → none', 'type tumbling → session', 'gap none → 30s']);
    expect(fingerprintChanges(fp('dedupe', { key: 'id', within: '1m' }), fp('dedupe', { key: 'id', within: '60s' }))).toEqual([]);
    expect(fingerprintChanges(fp('join', { leftKey: 'a', rightKey: 'b', within: '1m' }), fp('join', { leftKey: 'a', rightKey: 'b', window: '1m' })))
      .toEqual(['within 1m → none', 'window none → 1m']);
    expect(fingerprintChanges(fp('source.file', { path: 'a.jsonl' }), fp('source.file', { path: 'b.jsonl', ratePerSec: 10 }))).toEqual(['path a.jsonl → b.jsonl']);
  });

  it('never hold credentials', () => {
    expect(endpoint('postgres://eddy:hunter2@db:5432/shop')).toBe('postgres://db:5432/shop');
    expect(endpoint('nats://user:pw@127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
    expect(endpoint({ secret: 'PG_URL' })).toBe('secret PG_URL');
    expect(fp('sink.postgres', { url: 'postgres://eddy:hunter2@db/shop', table: 'orders' })).not.toContain('hunter2');
  });
});
