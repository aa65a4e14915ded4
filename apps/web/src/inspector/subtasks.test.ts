import { describe, expect, it } from 'vitest';
import type { NodeMetrics, SubtaskMetrics } from '@eddy/shared';
import { subtaskRows } from './subtasks';

const sub = (recordsIn: number, watermark: number | null = null): SubtaskMetrics =>
  ({ recordsIn, recordsOut: Math.floor(recordsIn / 10), ratePerSec: recordsIn, backpressure: 0.25, watermark, stateKeys: 3 });
const node = (subtasks: SubtaskMetrics[] | undefined, watermark: number | null = null, watermarkLagMs: number | null = null): NodeMetrics => ({
  recordsIn: 0, recordsOut: 0, ratePerSec: 0, ratePerSecIn: 0, latencyMs: { p50: 0, p99: 0 } as NodeMetrics['latencyMs'],
  watermark, watermarkLagMs, lateRecords: 0, errors: 0, stateKeys: 0, stateBytes: 0, backpressure: 0, subtasks,
});

describe('subtask rows', () => {
  it('are null for a node run once', () => {
    expect(subtaskRows(undefined)).toBeNull();
    expect(subtaskRows(node(undefined))).toBeNull();
    expect(subtaskRows(node([sub(5)]))).toBeNull();
  });

  it('show each subtask\'s figures as display strings', () => {
    const rows = subtaskRows(node([sub(1200), sub(1500)]))!;
    expect(rows.map((r) => [r.index, r.recordsIn, r.recordsOut, r.rate, r.backpressure, r.watermark, r.keys])).toEqual([
      [0, '1,200', '120', '1.2k/s', '25%', '—', '3'],
      [1, '1,500', '150', '1.5k/s', '25%', '—', '3'],
    ]);
    expect(rows.some((r) => r.hot)).toBe(false);
  });

  it('mark one hot subtask when it holds more than twice the mean of the others (a skewed key), none when even or idle', () => {
    expect(subtaskRows(node([sub(10), sub(900), sub(10), sub(10)]))!.map((r) => r.hot)).toEqual([false, true, false, false]);
    // At two subtasks too: one with most of the records is hot; close shares are not.
    expect(subtaskRows(node([sub(50), sub(900)]))!.map((r) => r.hot)).toEqual([false, true]);
    expect(subtaskRows(node([sub(600), sub(900)]))!.some((r) => r.hot)).toBe(false);
    expect(subtaskRows(node([sub(0), sub(0), sub(0)]))!.some((r) => r.hot)).toBe(false);
    expect(subtaskRows(node([sub(100), sub(100), sub(100)]))!.some((r) => r.hot)).toBe(false);
  });

  it('give each watermark as the node\'s: a lag from the same snapshot', () => {
    const at = Date.now();
    const rows = subtaskRows(node([sub(1, at - 5000), sub(1, at - 2000)], at - 5000, 5000))!;
    expect(rows.map((r) => r.watermark)).toEqual(['−5.0s', '−2.0s']);
  });
});
