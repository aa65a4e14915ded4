import { describe, expect, it } from 'vitest';
import type { SourceConnector, SourcePiece } from '../core/source.js';
import { PieceReader } from './piece-reader.js';
import { Outbox, type WireEvent } from './wire.js';

/** The reader with an outbox that keeps what each subtask is told, in order. */
function reader(parallelism = 2) {
  const told: [number, WireEvent][] = [];
  const outbox = new Outbox((dest, events) => { for (const e of events) told.push([dest, e]); }, -1, null);
  const r = new PieceReader(parallelism, outbox, { next: 0 }, () => 0, 0);
  const source = { eventTime: { field: 'ts', maxOutOfOrdernessMs: 10 } } as SourceConnector;
  r.add('src', source, { position: 0, maxEventTime: 1000 });
  const flush = () => { outbox.flush(); return told.splice(0); };
  return { r, flush };
}

const pieces = (n: number): SourcePiece[] => Array.from({ length: n }, (_v, i) => ({ work: i, count: 3, end: (i + 1) * 100 }));
/** What a subtask tells of a parsed piece (every piece here has 3 records and no split). */
const news = (piece: number, max: number, ctl = 0) => ({ source: 'src', piece, max, seqEnd: 3 * (piece + 1), ctl });
const turn = () => new Promise((ok) => setTimeout(ok, 0));

describe('PieceReader', () => {
  it('hands pieces out in turn while the subtasks keep up, numbered in cut order; offsets follow the pieces delivered in that order, whatever order they were parsed in', async () => {
    const { r, flush } = reader();
    const run = r.run('src', { readPieces: async (dispatch) => { for (const p of pieces(3)) await dispatch(p); }, parsePiece: () => ({ records: [], at: [] }) }, new AbortController().signal);
    await turn();
    const told = flush();
    expect(told.filter(([, e]) => e.k === 'r').map(([dest, e]) => e.k === 'r' && `${dest}:r${e.piece}@${e.seq0}-${e.seqEnd}/${e.ctl}`)).toEqual(['0:r0@0-3/0', '1:r1@3-6/0', '0:r2@6-9/0']);
    // The end of the source goes to every subtask at once, placed after the last piece cut.
    expect(told.filter(([, e]) => e.k === 'sw').map(([dest, e]) => [dest, e])).toEqual([0, 1].map((dest) => [dest, { k: 'sw', source: 'src', wm: Number.MAX_SAFE_INTEGER, after: 2 }]));
    let ended = false;
    void run.then(() => { ended = true; });
    r.parsed(news(2, 5000));
    r.parsed(news(1, 900));
    await turn();
    expect(r.snapshot('src')).toEqual({ position: 0, maxEventTime: 1000 }); // piece 0 is not parsed yet: nothing is delivered
    expect(ended).toBe(false);
    r.parsed(news(0, 2000));
    await run;
    expect(r.snapshot('src')).toEqual({ position: 300, maxEventTime: 5000 });
    expect(flush().filter(([, e]) => e.k !== 'r')).toEqual([]); // nothing is sent for a delivery: every subtask works it out
  });

  it('hands each piece to the subtask with the fewest pieces yet to parse (one held up gets fewer; ties in turn)', async () => {
    const { r, flush } = reader(3);
    let more!: (n: number) => void;
    let cut = 0;
    void r.run('src', {
      readPieces: async (dispatch) => {
        for (;;) {
          const n = await new Promise<number>((ok) => { more = ok; });
          for (let i = 0; i < n; i++, cut++) await dispatch({ work: cut, count: 3, end: (cut + 1) * 100 });
        }
      },
      parsePiece: () => ({ records: [], at: [] }),
    }, new AbortController().signal);
    const owners = async (n: number) => {
      await turn();
      more(n);
      await turn();
      return flush().filter(([, e]) => e.k === 'r').map(([dest, e]) => e.k === 'r' && `${e.piece}→${dest}`);
    };
    expect(await owners(3)).toEqual(['0→0', '1→1', '2→2']);
    // Subtasks 0 and 2 parsed theirs, subtask 1 did not: the next pieces go to 0 and 2 while 1 is behind.
    r.parsed(news(0, 1100));
    r.parsed(news(2, 1300));
    expect(await owners(4)).toEqual(['3→0', '4→2', '5→2', '6→0']);
    // Subtask 1 caught up (none left), subtask 0 has one left and subtask 2 two.
    r.parsed(news(1, 1200));
    r.parsed(news(6, 1600));
    expect(await owners(2)).toEqual(['7→1', '8→0']);
  });

  it('places a barrier after the pieces cut so far, tells every subtask at once, and runs the host\'s part once they are delivered', async () => {
    const { r, flush } = reader();
    const order: string[] = [];
    let more!: () => void;
    void r.run('src', {
      readPieces: async (dispatch) => {
        for (const p of pieces(2)) await dispatch(p);
        await new Promise<void>((ok) => { more = ok; });
        await dispatch({ work: 2, count: 3, end: 300 });
        await new Promise(() => undefined);
      },
      parsePiece: () => ({ records: [], at: [] }),
    }, new AbortController().signal);
    await turn();
    r.barrier('src', 7, () => order.push(`barrier at ${JSON.stringify(r.snapshot('src'))}`));
    more();
    await turn();
    // The piece cut after the barrier says one control event came before it: a subtask delivers it only after the barrier.
    expect(flush().filter(([dest]) => dest === 0).map(([, e]) => (e.k === 'r' ? `r${e.piece}/${e.ctl}` : e.k === 'sb' ? `sb${e.id} after ${e.after}` : e.k))).toEqual(['r0/0', 'sb7 after 1', 'r2/1']);
    r.parsed(news(0, 1500));
    expect(order).toEqual([]);
    r.parsed(news(2, 1700, 1));
    expect(order).toEqual([]);
    r.parsed(news(1, 1200));
    expect(order).toEqual(['barrier at {"position":200,"maxEventTime":1500}']);
    expect(r.snapshot('src')).toEqual({ position: 300, maxEventTime: 1700 });
  });

  it('two sources that both reach the read-ahead limit both go on as pieces are delivered', async () => {
    const { r, flush } = reader(1); // one subtask: at most 8 pieces in flight
    r.add('other', { eventTime: undefined } as SourceConnector);
    const read = (n: number) => ({ readPieces: async (dispatch: (p: SourcePiece) => void | Promise<void>) => { for (const p of pieces(n)) await dispatch(p); }, parsePiece: () => ({ records: [], at: [] }) });
    const signal = new AbortController().signal;
    const done = Promise.all([r.run('src', read(10), signal), r.run('other', read(10), signal)]);
    const cut = new Map<number, Extract<WireEvent, { k: 'r' }>>();
    for (let piece = 0; piece < 20; piece++) {
      await turn();
      for (const [, e] of flush()) if (e.k === 'r') cut.set(e.piece, e);
      const { source, seqEnd, ctl } = cut.get(piece)!;
      r.parsed({ source, piece, max: 100, seqEnd, ctl });
    }
    await done;
    expect([...cut.values()].filter((e) => e.source === 'src')).toHaveLength(10);
  });
});
