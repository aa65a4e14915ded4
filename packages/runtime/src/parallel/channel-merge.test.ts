import { describe, expect, it } from 'vitest';
import type { Batch } from '../core/batch.js';
import type { Downstream } from '../core/node-runtime.js';
import { ChannelMerge, mergedInletsFor } from './channel-merge.js';

/** A node that notes what reaches it: each record's name, and watermarks and barriers as they come. */
function recorder(): Downstream & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    addInput: () => 0,
    receive: (b: Batch) => { for (const r of b.records) seen.push(String(r.name)); },
    receiveWatermark: (wm: number) => { seen.push(`wm ${wm}`); },
    receiveIdle: () => undefined,
    receiveBarrier: (id: number) => { seen.push(`barrier ${id}`); },
  };
}
const batch = (items: [name: string, seq: number, wm: number][]): Batch => ({
  records: items.map(([name]) => ({ name })), times: items.map(() => 0), wms: items.map(([, , wm]) => wm), arrivedAt: 0, seqs: items.map(([, seq]) => seq),
});

describe('ChannelMerge (source positions)', () => {
  it('releases in source order once every channel has passed a position; equal positions by watermark, then arrival', () => {
    const node = recorder();
    const merge = new ChannelMerge(2, node, [{ input: 0, port: 'in' }]);
    merge.batch(0, batch([['a1', 1, 10], ['a3', 3, 10]]));
    merge.batch(1, batch([['b2', 2, 10]]));
    expect(node.seen).toEqual(['a1', 'b2']); // channel 1 has passed 2 only
    // Two partials held to their windows' ends, standing between positions 3 and 4: the one
    // at the lower watermark (its window not yet due there) goes first, whatever came first.
    merge.batch(1, batch([['b-later-window', 3.5, 60]]));
    merge.batch(0, batch([['a-due-window', 3.5, 40]]));
    merge.progress(0, 4);
    merge.progress(1, 4);
    expect(node.seen).toEqual(['a1', 'b2', 'a3', 'a-due-window', 'b-later-window']);
  });

  it('a barrier releases what waits and moves the watermark on that it held back', () => {
    const node = recorder();
    const merge = new ChannelMerge(2, node, [{ input: 0, port: 'in' }]);
    merge.batch(0, batch([['held', 7.5, 40]])); // beyond every position channel 1 will report
    merge.watermark(0, 100);
    merge.watermark(1, 100);
    expect(node.seen).toEqual(['wm 40']); // not past the waiting record's watermark
    merge.barrier(0, 0);
    merge.barrier(1, 0);
    expect(node.seen).toEqual(['wm 40', 'held', 'wm 100', 'barrier 0']);
  });
});

describe('ChannelMerge (several edges of one node)', () => {
  /** Notes each run with its input and port, and watermarks and barriers per input. */
  function inputs(): Downstream & { seen: string[] } {
    const seen: string[] = [];
    let next = 0;
    return {
      seen,
      addInput: () => next++,
      receive: (b: Batch, input: number, port: string) => { seen.push(`${input}/${port}: ${b.records.map((r) => r.name).join(' ')}${b.seqs ? '' : ' (no seqs)'}`); },
      receiveWatermark: (wm: number, input: number) => { seen.push(`wm ${wm} → ${input}`); },
      receiveIdle: () => undefined,
      receiveBarrier: (id: number, input: number) => { seen.push(`barrier ${id} → ${input}`); },
    };
  }

  it('releases both edges\' records in one source order, each run to its own input; watermarks to every input', () => {
    const node = inputs();
    const [left, right] = mergedInletsFor(2, node, ['left', 'right']);
    left.batch(0, batch([['L1', 1, 5], ['L4', 4, 9]]));
    right.batch(1, batch([['R2', 2, 5], ['R3', 3, 7]]));
    // Left channel 1 and right channel 0 have reported nothing: nothing may go yet.
    expect(node.seen).toEqual([]);
    left.progress(1, 4);
    right.progress(0, 4);
    // Right channel 1 has passed 3 only (its last record's position).
    expect(node.seen).toEqual(['0/left: L1', '1/right: R2 R3']);
    right.progress(1, 4);
    expect(node.seen).toEqual(['0/left: L1', '1/right: R2 R3', '0/left: L4']);
    for (const [inlet, c] of [[left, 0], [left, 1], [right, 0], [right, 1]] as const) inlet.watermark(c, 9);
    expect(node.seen.slice(3)).toEqual(['wm 9 → 0', 'wm 9 → 1']);
  });

  it('aligns a barrier over every channel of every edge, releasing what waits first', () => {
    const node = inputs();
    const [left, right] = mergedInletsFor(2, node, ['left', 'right']);
    right.batch(0, batch([['R5', 5, 1]]));
    left.barrier(0, 3);
    left.barrier(1, 3);
    right.barrier(1, 3);
    left.batch(0, batch([['L9', 9, 2]])); // behind the barrier on its channel: waits
    expect(node.seen).toEqual([]);
    right.barrier(0, 3);
    // L9, held behind the barrier, comes after it (and waits for the other channels' progress).
    expect(node.seen).toEqual(['1/right: R5', 'barrier 3 → 0', 'barrier 3 → 1']);
  });
});
