import { describe, expect, it } from 'vitest';
import type { Batch } from '../core/batch.js';
import type { Downstream } from '../core/node-runtime.js';
import { ChannelMerge } from './channel-merge.js';

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
    const merge = new ChannelMerge(2, node, 0, 'in');
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
    const merge = new ChannelMerge(2, node, 0, 'in');
    merge.batch(0, batch([['held', 7.5, 40]])); // beyond every position channel 1 will report
    merge.watermark(0, 100);
    merge.watermark(1, 100);
    expect(node.seen).toEqual(['wm 40']); // not past the waiting record's watermark
    merge.barrier(0, 0);
    merge.barrier(1, 0);
    expect(node.seen).toEqual(['wm 40', 'held', 'wm 100', 'barrier 0']);
  });
});
