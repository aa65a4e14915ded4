import { describe, expect, it } from 'vitest';
import { formatCell, formatDuration, formatKey, roundNumber, watermarkFigure } from './format';

describe('display formats', () => {
  it('rounds floats, keeps integers', () => {
    expect(roundNumber(96.45735937500004)).toBe('96.457');
    expect(roundNumber(0.000123456)).toBe('0.000123');
    expect(roundNumber(42)).toBe('42');
  });
  it('shows epoch ms in time columns and state keys as times, the raw value kept', () => {
    const ms = new Date(2026, 0, 1, 10, 0, 5, 250).getTime();
    expect(formatCell(ms, 'ts')).toEqual({ text: '2026-01-01 10:00:05.250', raw: String(ms) });
    expect(formatCell(ms, 'count').text).toBe(String(ms));
    expect(formatKey(`${ms}|DE`)).toBe('2026-01-01 10:00:05.250 | DE');
    expect(formatCell(96.45735937500004, 'price')).toEqual({ text: '96.457', raw: '96.45735937500004' });
  });
  it('says a lag in the unit that fits; a replayed file\'s watermark as its time', () => {
    expect(formatDuration(2318)).toBe('2.3 s');
    expect(formatDuration(2318, true)).toBe('2.3s');
    expect(formatDuration(29_000_000_000)).toBe('335.6 d');
    expect(watermarkFigure(Date.now() - 2318, 2318)?.text).toBe('wm −2.3s');
    const old = new Date(2026, 0, 1, 10, 0, 0).getTime();
    expect(watermarkFigure(old, 29_000_000_000)).toEqual({ text: 'wm 10:00:00', title: expect.stringContaining('watermark 2026-01-01 10:00:00: event time is 335.6 d behind') });
  });
});
