import { describe, expect, it } from 'vitest';
import { getKind, type ParamsOf } from '@eddy/shared';
import type { Batch } from '../../core/batch.js';
import { PARTIAL, WindowPreAggregator } from './pre-aggregate.js';

// Holding partials across batches (a sender that learns every watermark of its source order):
// literal cases, each written from the rule: a window's partial leaves before anything that fires the window.
const params = (p: Partial<ParamsOf<'window'>>): ParamsOf<'window'> => getKind('window')!.params.parse({
  type: 'tumbling', size: '10ms', keyBy: ['k'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'hi', fn: 'max', field: 'v' }], ...p,
}) as ParamsOf<'window'>;
/** Rows of [key, event time, value, watermark], numbered from seq0. */
const batch = (seq0: number, rows: [k: string, ts: number, v: unknown, wm: number][]): Batch => ({
  records: rows.map(([k, , v]) => ({ k, v })), times: rows.map(([, ts]) => ts), wms: rows.map(([, , , wm]) => wm),
  arrivedAt: 0, seqs: rows.map((_r, i) => seq0 + i),
});
const marks = (b: Batch) => b.records.map((r, i) => [b.seqs![i], b.wms[i], PARTIAL in r ? r[PARTIAL] : r]);

describe('window pre-aggregation held across batches (literal reference)', () => {
  it('keeps a partial until a record\'s watermark fires its window; it leaves just before that record, at the watermark before it', () => {
    const agg = new WindowPreAggregator(params({}), true);
    const at = { seq: 99, wm: 0 };
    expect(agg.combine(batch(100, [['a', 1, 2, 0], ['b', 2, 5, 0]]), at).batch.records).toEqual([]);
    expect(agg.combine(batch(102, [['a', 3, 4, 1]]), { seq: 101, wm: 0 }).batch.records).toEqual([]);
    expect(agg.holding).toBe(true);
    // Watermark 9 fires [0, 10) (end − 1 ≤ wm): both partials go before record 104; [10, 20) is held.
    const { batch: out, keys } = agg.combine(batch(103, [['c', 12, 1, 5], ['a', 13, 7, 9]]), { seq: 102, wm: 1 });
    expect(marks(out)).toEqual([
      [103.5, 5, { start: 0, key: ['a'], accs: [2, 4], n: 2 }],
      [103.5, 5, { start: 0, key: ['b'], accs: [1, 5], n: 1 }],
    ]);
    expect(keys).toEqual(['a', 'b']);
    // A watermark alone (the channel learned the source went on): due partials at the channel's frontier.
    expect(agg.flush(18, { seq: 104, wm: 9 }, 0)).toBeNull();
    const flushed = agg.flush(19, { seq: 104, wm: 9 }, 0)!;
    expect(marks(flushed.batch)).toEqual([
      [104.5, 9, { start: 10, key: ['c'], accs: [1, 1], n: 1 }],
      [104.5, 9, { start: 10, key: ['a'], accs: [1, 7], n: 1 }],
    ]);
    expect(flushed.keys).toEqual(['c', 'a']);
    expect(agg.holding).toBe(false);
    expect(agg.flush(Infinity, { seq: 104, wm: 9 }, 0)).toBeNull();
  });

  it('a held window touched again in the batch that fires it closes where its last record stands, as within one batch', () => {
    const agg = new WindowPreAggregator(params({}), true);
    agg.combine(batch(100, [['a', 1, 1, 0]]), { seq: 99, wm: 0 });
    const { batch: out } = agg.combine(batch(101, [['a', 2, 3, 0], ['x', 15, 1, 9]]), { seq: 100, wm: 0 });
    expect(marks(out)).toEqual([[101, 0, { start: 0, key: ['a'], accs: [2, 3], n: 2 }]]);
    expect(marks(agg.flush(Infinity, { seq: 102, wm: 9 }, 0)!.batch)).toEqual([[102.5, 9, { start: 10, key: ['x'], accs: [1, 1], n: 1 }]]);
  });

  it('emit final with allowed lateness holds until the end plus the lateness; emit updates until the end', () => {
    const final = new WindowPreAggregator(params({ allowedLateness: '5ms' }), true);
    final.combine(batch(100, [['a', 1, 1, 0]]), { seq: 99, wm: 0 });
    expect(final.flush(13, { seq: 100, wm: 0 }, 0)).toBeNull();
    expect(marks(final.flush(14, { seq: 100, wm: 0 }, 0)!.batch)).toEqual([[100.5, 0, { start: 0, key: ['a'], accs: [1, 1], n: 1 }]]);
    const updates = new WindowPreAggregator(params({ allowedLateness: '5ms', emit: 'updates' }), true);
    updates.combine(batch(100, [['a', 1, 1, 0]]), { seq: 99, wm: 0 });
    expect(updates.flush(8, { seq: 100, wm: 0 }, 0)).toBeNull();
    expect(updates.flush(9, { seq: 100, wm: 0 }, 0)!.batch.records).toHaveLength(1);
  });

  it('when combining pauses (batches that did not shrink), what is held leaves before the first record, and the records go as they are', () => {
    const agg = new WindowPreAggregator(params({}), true);
    for (let i = 0; i < 4; i++) agg.combine(batch(100 + 2 * i, [['a' + i, 1, 1, 0], ['b' + i, 2, 1, 0]]), { seq: 99 + 2 * i, wm: 0 });
    const { batch: out } = agg.combine(batch(108, [['a', 3, 1, 0]]), { seq: 107, wm: 0 });
    expect(marks(out).map(([seq, wm, r]) => [seq, wm, (r as { key?: unknown[] }).key ?? r])).toEqual([
      [107.5, 0, ['a0']], [107.5, 0, ['b0']], [107.5, 0, ['a1']], [107.5, 0, ['b1']],
      [107.5, 0, ['a2']], [107.5, 0, ['b2']], [107.5, 0, ['a3']], [107.5, 0, ['b3']],
      [108, 0, { k: 'a', v: 1 }],
    ]);
    expect(agg.holding).toBe(false);
  });

  it('without holds, every partial leaves with its batch (the default)', () => {
    const agg = new WindowPreAggregator(params({}));
    expect(marks(agg.combine(batch(100, [['a', 1, 2, 0], ['a', 2, 1, 0]])).batch)).toEqual([[101, 0, { start: 0, key: ['a'], accs: [2, 2], n: 2 }]]);
    expect(agg.holding).toBe(false);
  });
});
