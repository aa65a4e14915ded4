import { describe, expect, it } from 'vitest';
import { compileExpression } from './index.js';

const toTs = (text: string) => compileExpression('TO_TIMESTAMP(s)')({ s: text });

describe('TO_TIMESTAMP: the strict ISO-8601 parser of event time', () => {
  it.each([
    ['2024-03-01T10:00:00Z', Date.UTC(2024, 2, 1, 10)],
    // No offset is UTC, never the machine's zone.
    ['2024-03-01T10:00:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01 10:00:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01T10:00', Date.UTC(2024, 2, 1, 10)],
    ['2024-03-01', Date.UTC(2024, 2, 1)],
    ['2024-03-01T10:00:00.123Z', Date.UTC(2024, 2, 1, 10, 0, 0, 123)],
    ['2024-03-01T10:00:00.123456789Z', Date.UTC(2024, 2, 1, 10, 0, 0, 123)],
    ['2024-03-01T10:00:00+01:00', Date.UTC(2024, 2, 1, 9)],
    ['2024-03-01T10:00:00-0230', Date.UTC(2024, 2, 1, 12, 30)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s is %d', (text, want) => {
    expect(toTs(text)).toBe(want);
  });

  it.each([
    '2024/03/01 10:00:00', 'Fri, 01 Mar 2024 10:00:00 GMT', 'March 1, 2024', '1709287200000', '2024-02-30', '2023-02-29',
    '2024-03-01T24:00:00', '2024-03-01T10:60', '2024-13-01', '2024-3-1', ' 2024-03-01', '2024-03-01T10:00:00 Z', '', 'NaN',
  ])('%j is not ISO-8601: NULL', (text) => {
    expect(toTs(text)).toBeNull();
  });

  it('NULL stays NULL', () => {
    expect(compileExpression('TO_TIMESTAMP(s)')({ s: null })).toBeNull();
  });
});
