import { describe, expect, it } from 'vitest';
import { validatePipeline } from './validate.js';

/** clickstream → window → live table, with the window's (or the source's) params replaced. */
const doc = (windowParams: Record<string, unknown>, sourceParams: Record<string, unknown> = {}, settings: Record<string, unknown> = {}) => ({
  format: 'eddy/pipeline@1',
  name: 'limits',
  settings,
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ...sourceParams } },
    { id: 'win', kind: 'window', params: { aggregates: [{ name: 'n', fn: 'count' }], ...windowParams } },
    { id: 'live', kind: 'sink.live', params: {} },
  ],
  edges: [{ from: 'clicks', to: 'win' }, { from: 'win', to: 'live' }],
});

const messages = (d: unknown) => {
  const r = validatePipeline(d);
  return r.errors.map((e) => `${e.path}: ${e.message}`);
};

describe('absurd params are refused with the limit in the message', () => {
  it.each([
    ['window size 0ms', { size: '0ms' }, "nodes[1].params.size: Must be longer than 0ms, got '0ms'"],
    ['sliding slide 0ms', { type: 'sliding', size: '10s', slide: '0ms' }, "nodes[1].params.slide: Must be longer than 0ms, got '0ms'"],
    ['session gap 0s', { type: 'session', gap: '0s' }, "nodes[1].params.gap: Must be longer than 0ms, got '0s'"],
    ['a 400-digit duration', { size: `${'9'.repeat(400)}ms` }, `nodes[1].params.size: At most 365d, got '${'9'.repeat(400)}ms'`],
    ['a window longer than a year', { size: '366d' }, "nodes[1].params.size: At most 365d, got '366d'"],
    ['lateness longer than a year', { size: '1s', allowedLateness: '9000h' }, "nodes[1].params.allowedLateness: At most 365d, got '9000h'"],
    ['10m sliding by 1ms', { type: 'sliding', size: '10m', slide: '1ms' },
      'nodes[1].params.slide: A sliding window of size 10m and slide 1ms puts each record into 600,000 windows; at most 1000 are allowed: make the slide at least 600ms'],
    ['not a duration', { size: 'soon' }, 'nodes[1].params.size: A duration such as 500ms, 10s, 5m, 4h or 1d'],
  ])('%s', (_what, params, want) => {
    expect(messages(doc(params))).toEqual([want]);
  });

  it('accepts the limits themselves', () => {
    expect(messages(doc({ type: 'sliding', size: '10m', slide: '600ms' }))).toEqual([]);
    expect(messages(doc({ size: '365d' }))).toEqual([]);
    expect(messages(doc({ size: '1ms' }))).toEqual([]);
  });

  it.each([
    ['NaN', "nodes[0].params.startTime: startTime is epoch ms or an ISO-8601 time such as 2024-03-01T00:00:00Z"],
    ['2024/03/01', "nodes[0].params.startTime: startTime is epoch ms or an ISO-8601 time such as 2024-03-01T00:00:00Z"],
    [1e300, "nodes[0].params.startTime: 'startTime' must be at most 8,640,000,000,000,000"],
  ])('generator startTime %j', (startTime, want) => {
    expect(messages(doc({ size: '1s' }, { startTime }))).toEqual([want]);
  });

  it('accepts a startTime in ISO-8601 or epoch ms', () => {
    expect(messages(doc({ size: '1s' }, { startTime: '2024-03-01T00:00:00Z' }))).toEqual([]);
    expect(messages(doc({ size: '1s' }, { startTime: 1709251200000 }))).toEqual([]);
  });

  it('bounds other durations and numbers of the catalog', () => {
    const dedupe = (within: string) => ({
      format: 'eddy/pipeline@1', name: 'd',
      nodes: [{ id: 'src', kind: 'source.generator', params: {} }, { id: 'dd', kind: 'dedupe', params: { key: 'user_id', within } }],
      edges: [{ from: 'src', to: 'dd' }],
    });
    expect(messages(dedupe('0ms'))).toEqual(["nodes[1].params.within: Must be longer than 0ms, got '0ms'"]);
    expect(messages(dedupe('1000d'))).toEqual(["nodes[1].params.within: At most 365d, got '1000d'"]);
    expect(messages(doc({ size: '1s' }, { ratePerSec: 1e12 }))).toEqual(["nodes[0].params.ratePerSec: 'ratePerSec' must be at most 10,000,000"]);
    expect(messages(doc({ size: '1s' }, {}, { stateTtl: '0ms' }))).toEqual(["settings.stateTtl: Must be longer than 0ms, got '0ms'"]);
    expect(messages(doc({ size: '1s' }, {}, { checkpointIntervalMs: 1e12 }))).toEqual(["settings.checkpointIntervalMs: 'checkpointIntervalMs' must be at most 86,400,000"]);
  });
});

describe('zod issues in plain words', () => {
  it.each([
    ['an unknown option', doc({ size: '1s' }, { scenario: 'pageviews' }),
      'nodes[0].params.scenario: \'scenario\' must be one of "clickstream", "ad-events", "nexmark", "iot"'],
    ['an unknown key', doc({ size: '1s', sise: '1s' }), "nodes[1].params: Unknown key 'sise'"],
    ['a wrong type', doc({ size: '1s' }, { ratePerSec: 'fast' }), "nodes[0].params.ratePerSec: 'ratePerSec' must be a number, not string"],
    ['not a whole number', doc({ size: '1s' }, { limit: 1.5 }), "nodes[0].params.limit: 'limit' must be a whole number"],
    ['a missing value', doc({ size: '1s', aggregates: [{ name: 'n' }] }),
      'nodes[1].params.aggregates[0].fn: \'fn\' must be one of "count", "sum", "avg", "min", "max", "count_distinct", "first", "last", "p50", "p95", "p99"'],
    ['too long a name', { ...doc({ size: '1s' }), name: 'x'.repeat(201) }, "name: 'name' has at most 200 characters"],
    ['too many aggregates', doc({ size: '1s', aggregates: Array.from({ length: 101 }, (_v, i) => ({ name: `a${i}`, fn: 'count' })) }),
      "nodes[1].params.aggregates: 'aggregates' has at most 100 items"],
  ])('%s', (_what, d, want) => {
    expect(messages(d)).toEqual([want]);
  });

  it('keeps a message the schema wrote itself', () => {
    expect(messages(doc({ size: '1s', aggregates: [] }))).toEqual(['nodes[1].params.aggregates: Add at least one aggregate']);
  });
});
