import { describe, expect, it } from 'vitest';
import type { NodeMetrics, PipelineMetrics } from '@eddy/shared';
import { isLive, shareUnchanged } from './live-store';
import { nodeFigures } from '../canvas/node-figures';

const node = (rate: number): NodeMetrics => ({
  recordsIn: 10, recordsOut: 10, ratePerSec: rate, ratePerSecIn: rate, latencyMs: { p50: 1, p99: 2 } as NodeMetrics['latencyMs'],
  watermark: null, watermarkLagMs: null, lateRecords: 0, errors: 0, stateKeys: 12, stateBytes: 100, backpressure: 0,
});
const tick = (a: number, b: number): PipelineMetrics =>
  ({ pipelineId: 'p', at: Date.now(), nodes: { a: node(a), b: node(b) }, deadLetters: 0, checkpoints: {} as PipelineMetrics['checkpoints'] });

describe('live figures', () => {
  it('keeps the object of a node whose figures did not change', () => {
    const first = tick(5, 7);
    const next = shareUnchanged(first, tick(5, 8));
    expect(next.nodes.a).toBe(first.nodes.a);
    expect(next.nodes.b).not.toBe(first.nodes.b);
  });
  it('takes a node as changed when only a subtask\'s figures changed (the sums may stay)', () => {
    const sub = (recordsIn: number, watermark: number) => ({ recordsIn, recordsOut: 0, ratePerSec: 0, backpressure: 0, watermark, stateKeys: 1 });
    const withSubtasks = (wm: number): PipelineMetrics => ({ ...tick(5, 7), nodes: { a: { ...node(5), subtasks: [sub(5, 1000), sub(5, wm)] } } });
    const first = withSubtasks(1000);
    expect(shareUnchanged(first, withSubtasks(1000)).nodes.a).toBe(first.nodes.a);
    expect(shareUnchanged(first, withSubtasks(2000)).nodes.a).not.toBe(first.nodes.a);
  });
  it('counts figures as live only while running or restarting', () => {
    expect(isLive({ state: 'running' } as never)).toBe(true);
    expect(isLive({ state: 'restarting' } as never)).toBe(true);
    expect(isLive({ state: 'stopped' } as never)).toBe(false);
    expect(isLive(null)).toBe(false);
  });
  it('formats a node figures as short strings', () => {
    expect(nodeFigures('a', node(1234.5)).map((f) => f.text)).toEqual(['1.2k/s', 'p99 2.00 ms', '12 keys']);
    expect(nodeFigures('a', undefined)).toEqual([]);
  });
});
