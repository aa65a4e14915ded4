import { describe, expect, it } from 'vitest';
import { NodeRuntime } from './node-runtime.js';
import { NodeMetricsRecorder } from '../metrics/node-metrics.js';
import type { Operator } from './operator.js';

/** A node that records the watermarks its operator sees. */
function node(id: string, seen: number[] = []) {
  const op: Operator = { processBatch: () => undefined, onWatermark: (wm) => { seen.push(wm); } };
  return new NodeRuntime(id, 'union', op, new NodeMetricsRecorder(false), { clock: () => 0 });
}

describe('NodeRuntime watermarks', () => {
  it('takes the minimum over its inputs and never goes back', () => {
    const seen: number[] = [];
    const a = node('a');
    const b = node('b');
    const u = node('u', seen);
    a.connect('out', u, 'in');
    b.connect('out', u, 'in');
    a.receiveWatermark(100, -1);
    expect(seen).toEqual([]);
    b.receiveWatermark(50, -1);
    expect(seen).toEqual([50]);
    b.receiveWatermark(200, -1);
    expect(seen).toEqual([50, 100]);
    a.receiveWatermark(150, -1);
    expect(seen).toEqual([50, 100, 150]);
    expect(u.currentWatermark()).toBe(150);
  });

  it('leaves idle inputs out of the minimum, and takes them back when active', () => {
    const seen: number[] = [];
    const a = node('a');
    const b = node('b');
    const u = node('u', seen);
    const after = node('after');
    a.connect('out', u, 'in');
    b.connect('out', u, 'in');
    u.connect('out', after, 'in');
    a.receiveWatermark(100, -1);
    b.receiveIdle(true, -1);
    expect(seen).toEqual([100]); // b no longer holds the union back
    a.receiveWatermark(300, -1);
    expect(seen).toEqual([100, 300]);
    b.receiveIdle(false, -1);
    b.receiveWatermark(120, -1); // b is behind now; the watermark does not regress
    a.receiveWatermark(400, -1);
    expect(seen).toEqual([100, 300]);
    b.receiveWatermark(350, -1);
    expect(seen).toEqual([100, 300, 350]);
    expect(after.currentWatermark()).toBe(350);
  });

  it('is idle downstream only when every input is idle', () => {
    const a = node('a');
    const b = node('b');
    const u = node('u');
    const x = node('x');
    const w = node('w');
    a.connect('out', u, 'in');
    b.connect('out', u, 'in');
    u.connect('out', w, 'in');
    x.connect('out', w, 'in');
    x.receiveWatermark(1000, -1);
    a.receiveIdle(true, -1);
    expect(w.currentWatermark()).toBe(-Infinity); // u is not idle: b still holds it
    b.receiveIdle(true, -1);
    expect(w.currentWatermark()).toBe(1000); // u idle → w follows x alone
  });
});
