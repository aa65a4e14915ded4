import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';
import { sortRows } from '../../test-utils/reference.js';

/**
 * The window join with event times in epoch milliseconds (13-digit window ends, as real data has;
 * each pane's state key is kept from its first record: core/end-keys.ts), against literal rows:
 * records of one key in the same 5 s tumbling window pair up when it fires; a left join also emits
 * each unmatched left record then.
 */
const T = 1_700_000_000_000; // a multiple of 5 000: windows [T, T + 5000), [T + 5000, T + 10000)
const views = [{ ts: T + 1000, ad: 'x' }, { ts: T + 2000, ad: 'y' }, { ts: T + 6000, ad: 'x' }, { ts: T + 7000, ad: 'z' }];
const clicks = [{ ts: T + 3000, ad: 'x', c: 1 }, { ts: T + 4000, ad: 'x', c: 2 }, { ts: T + 7000, ad: 'y', c: 3 }, { ts: T + 8000, ad: 'x', c: 4 }];

const doc = (type: 'inner' | 'left') => ({
  format: 'eddy/pipeline@1', name: 'window join',
  nodes: [
    { id: 'views', kind: 'source.file', params: { path: 'views.jsonl', eventTime: { field: 'ts' } } },
    { id: 'clicks', kind: 'source.file', params: { path: 'clicks.jsonl', eventTime: { field: 'ts' } } },
    { id: 'j', kind: 'join', params: { type, leftKey: 'ad', rightKey: 'ad', window: '5s' } },
  ],
  edges: [{ from: 'views', to: 'j', toPort: 'left' }, { from: 'clicks', to: 'j', toPort: 'right' }],
});

const pairs = [
  { ts: T + 1000, ad: 'x', right_ts: T + 3000, right_ad: 'x', c: 1 },
  { ts: T + 1000, ad: 'x', right_ts: T + 4000, right_ad: 'x', c: 2 },
  { ts: T + 6000, ad: 'x', right_ts: T + 8000, right_ad: 'x', c: 4 },
];

describe('window join, event times in epoch milliseconds', () => {
  for (const mode of ['native', 'microbatch'] as const) {
    for (const inputChunkSize of [1, 3]) {
      it(`pairs each window's records of one key (inner; ${mode}, chunks of ${inputChunkSize})`, async () => {
        const r = await runPipeline(doc('inner'), { views, clicks }, { mode, inputChunkSize, batchIntervalMs: 1 });
        expect(sortRows(r.outputs.j ?? [])).toEqual(sortRows(pairs));
      });

      it(`emits the unmatched left records at the window's end (left; ${mode}, chunks of ${inputChunkSize})`, async () => {
        const r = await runPipeline(doc('left'), { views, clicks }, { mode, inputChunkSize, batchIntervalMs: 1 });
        expect(sortRows(r.outputs.j ?? [])).toEqual(sortRows([
          ...pairs,
          // y's click is in the next window. Without declared fields the right side's are unknown: the left record alone.
          { ts: T + 2000, ad: 'y' },
          { ts: T + 7000, ad: 'z' },
        ]));
      });
    }
  }
});
