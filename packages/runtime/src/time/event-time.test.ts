import { afterEach, describe, expect, it } from 'vitest';
import { makeTimestampExtractor, parseIsoTimestamp } from './event-time.js';
import { runPipeline } from '../harness/run-pipeline.js';

const ts = makeTimestampExtractor('ts');
const at = (v: unknown) => ts({ ts: v });

describe('event time: ISO-8601 and epoch ms only, UTC unless an offset is given', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('a date-time without an offset is UTC, not the machine zone', () => {
    process.env.TZ = 'America/New_York';
    // The zone change took effect in this process (New York is UTC-5 in March).
    expect(new Date(2024, 2, 1, 10).getTimezoneOffset()).toBe(300);
    expect(at('2024-03-01T10:00:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(at('2024-03-01 10:00:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(at('2024-03-01T10:00')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(at('2024-03-01T10:00:00.250')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 250));
    expect(at('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
  });

  it('accepts Z and ±HH:MM / ±HHMM offsets, fractions and epoch ms', () => {
    expect(at('2024-03-01T10:00:00Z')).toBe(Date.UTC(2024, 2, 1, 10));
    expect(at('2024-03-01T10:00:00.5Z')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 500));
    expect(at('2024-03-01T10:00:00.123456789Z')).toBe(Date.UTC(2024, 2, 1, 10, 0, 0, 123));
    expect(at('2024-03-01T10:00:00+02:00')).toBe(Date.UTC(2024, 2, 1, 8));
    expect(at('2024-03-01T10:00:00-0530')).toBe(Date.UTC(2024, 2, 1, 15, 30));
    expect(at('2024-03-01 10:00+01:00')).toBe(Date.UTC(2024, 2, 1, 9));
    expect(at(1709287200000)).toBe(1709287200000);
    expect(at('1709287200000')).toBe(1709287200000);
    expect(parseIsoTimestamp('0099-01-01T00:00:00Z')).toBe(-59042995200000);
  });

  it('throws for strings that are not ISO-8601 or epoch ms', () => {
    for (const bad of [
      '2024/03/01 10:00:00', 'Fri, 01 Mar 2024 10:00:00 GMT', 'March 1, 2024', '01/03/2024', '2024-3-1',
      '2024-03-01T10', '2024-02-30', '2023-02-29', '2024-13-01', '2024-03-01T24:00:00', '2024-03-01T10:60',
      '2024-03-01T10:00:00+25:00', '2024-03-01T10:00:00 GMT', ' 2024-03-01', 'abc', '',
    ]) expect(() => at(bad), bad).toThrow(/not epoch ms or ISO-8601|missing/);
    expect(at('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(() => at(null)).toThrow(/missing/);
  });
});

describe('event time through the source driver', () => {
  it('a record whose time does not parse is a dead letter with the reason and does not move the watermark', async () => {
    const doc = {
      format: 'eddy/pipeline@1', name: 'bad-time',
      nodes: [
        { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' } } },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '10s', aggregates: [{ name: 'n', fn: 'count' }] } },
      ],
      edges: [{ from: 'src', to: 'w' }],
    };
    // Both bad times would read (by Date.parse) as 10:00, hours past the first window.
    const input = [
      { id: 1, ts: '2024-03-01T00:00:00Z' },
      { id: 2, ts: 'Fri, 01 Mar 2024 10:00:00 GMT' },
      { id: 3, ts: '2024/03/01 10:00:00' },
      { id: 4, ts: '2024-03-01T00:00:05Z' },
    ];
    for (const mode of ['native', 'microbatch'] as const) {
      const r = await runPipeline(doc, { src: input }, { mode, batchIntervalMs: 5 });
      expect(r.deadLetters.map((d) => [(d.record as { id: number }).id, d.reason])).toEqual([
        [2, expect.stringMatching(/not epoch ms or ISO-8601/)],
        [3, expect.stringMatching(/not epoch ms or ISO-8601/)],
      ]);
      // Record 4 is not late: the watermark stayed at record 1's time.
      expect(r.outputs['w.late'] ?? []).toEqual([]);
      expect(r.outputs.w).toEqual([{ window_start: Date.UTC(2024, 2, 1), window_end: Date.UTC(2024, 2, 1) + 10_000, n: 2 }]);
    }
  });
});
