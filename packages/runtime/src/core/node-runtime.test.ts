import { describe, expect, it } from 'vitest';
import { NodeRuntime } from './node-runtime.js';
import { NodeMetricsRecorder } from '../metrics/node-metrics.js';
import type { Operator } from './operator.js';
import { ReconvergeQueue } from './reconverge.js';

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

describe('NodeRuntime barrier alignment', () => {
  const batch = (name: string, wm = -Infinity) => ({ records: [{ name }], times: [0], wms: [wm], arrivedAt: 0 });

  /** A two-input node whose operator logs what it processes and passes it on; `after` logs what reaches it downstream. */
  function twoInputs() {
    const log: string[] = [];
    const reconverge = new ReconvergeQueue();
    const env = { clock: () => 0, reconverge };
    let j: NodeRuntime | null = null;
    const op: Operator = {
      processBatch: (b) => { log.push(`process ${b.records.map((r) => r.name).join(',')}`); j!.collect(b, 'out'); },
      onWatermark: (wm) => { log.push(`watermark ${wm}`); },
    };
    j = new NodeRuntime('j', 'union', op, new NodeMetricsRecorder(false), env);
    const after = new NodeRuntime('after', 'filter', { processBatch: (b) => { log.push(`after got ${b.records.map((r) => r.name).join(',')}`); } },
      new NodeMetricsRecorder(false), env);
    j.connect('out', after, 'in');
    j.addInput();
    j.addInput();
    j.onBarrier = (_node, id) => { log.push(`snapshot ${id}`); };
    after.onBarrier = (_node, id) => { log.push(`after barrier ${id}`); };
    // Each call is one mailbox task: buffered multi-input records drain at its end.
    const task = (run: () => unknown) => { run(); reconverge.drainAll(); };
    return { j, log, task };
  }

  it('holds what arrives behind a barrier on one input until the barrier came on every input, and snapshots first', () => {
    const { j, log, task } = twoInputs();
    task(() => j.receive(batch('a0'), 0, 'in'));
    task(() => j.receiveWatermark(100, 0));
    task(() => j.receiveWatermark(100, 1));
    task(() => j.receiveBarrier(1, 0));
    task(() => j.receive(batch('held'), 0, 'in'));
    task(() => j.receiveWatermark(1000, 0));
    expect(log).toEqual(['process a0', 'after got a0', 'watermark 100']); // nothing behind the barrier moved
    // Input 1 still delivers: its records go through and its watermark counts, input 0's held one not.
    task(() => j.receive(batch('b1'), 1, 'in'));
    task(() => j.receiveWatermark(2000, 1));
    expect(log.slice(3)).toEqual(['process b1', 'after got b1']);
    expect(j.watermark).toBe(100);
    // The barrier on input 1 completes the alignment: snapshot, barrier downstream, then the held input in order.
    task(() => j.receiveBarrier(1, 1));
    expect(log.slice(5)).toEqual(['snapshot 1', 'after barrier 1', 'process held', 'after got held', 'watermark 1000']);
    expect(j.watermark).toBe(1000);
  });

  it('a second barrier held behind the first is aligned again after it', () => {
    const { j, log, task } = twoInputs();
    task(() => j.receiveBarrier(1, 0));
    task(() => j.receive(batch('x'), 0, 'in'));
    task(() => j.receiveBarrier(2, 0));
    task(() => j.receive(batch('y'), 0, 'in'));
    task(() => j.receiveBarrier(1, 1));
    // After barrier 1: x goes through, barrier 2 is seen on input 0 and y waits behind it.
    expect(log).toEqual(['snapshot 1', 'after barrier 1', 'process x', 'after got x']);
    task(() => j.receive(batch('z'), 1, 'in'));
    task(() => j.receiveBarrier(2, 1));
    expect(log.slice(4)).toEqual(['process z', 'after got z', 'snapshot 2', 'after barrier 2', 'process y', 'after got y']);
  });
});
