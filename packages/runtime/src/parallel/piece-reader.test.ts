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

describe('PieceReader', () => {
  it('hands piece n to subtask n mod N and delivers pieces in the order they were cut, whatever order they were parsed in', async () => {
    const { r, flush } = reader();
    const run = r.run('src', { readPieces: async (dispatch) => { for (const p of pieces(3)) await dispatch(p); }, parsePiece: () => ({ records: [], at: [] }) }, new AbortController().signal);
    await new Promise((ok) => setTimeout(ok, 0));
    expect(flush().map(([dest, e]) => `${dest}:${e.k}${e.k === 'r' ? `${e.piece}@${e.seq0}` : ''}`)).toEqual(['0:r0@0', '1:r1@3', '0:r2@6']);
    r.parsed(2, 5000);
    r.parsed(1, 900);
    expect(flush()).toEqual([]); // piece 0 is not parsed yet: nothing can be delivered
    r.parsed(0, 2000);
    const told = flush();
    // Each delivered piece goes to every subtask, with the greatest event time before it (the restored 1000 first).
    expect(told.filter(([dest]) => dest === 0).map(([, e]) => e)).toEqual([
      { k: 'f', source: 'src', piece: 0, base: 1000, seqEnd: 3, wm: 2000 - 10 - 1 },
      { k: 'f', source: 'src', piece: 1, base: 2000, seqEnd: 6, wm: 2000 - 10 - 1 },
      { k: 'f', source: 'src', piece: 2, base: 2000, seqEnd: 9, wm: 5000 - 10 - 1 },
      { k: 'sw', source: 'src', wm: Number.MAX_SAFE_INTEGER },
    ]);
    await run;
    expect(r.snapshot('src')).toEqual({ position: 300, maxEventTime: 5000 });
  });

  it('runs what waits for a barrier once every piece cut before it is delivered, and not before', async () => {
    const { r, flush } = reader();
    const order: string[] = [];
    void r.run('src', { readPieces: async (dispatch) => { for (const p of pieces(2)) await dispatch(p); await new Promise(() => undefined); }, parsePiece: () => ({ records: [], at: [] }) }, new AbortController().signal);
    await new Promise((ok) => setTimeout(ok, 0));
    r.afterDelivered(() => { order.push(`barrier at ${JSON.stringify(r.snapshot('src'))}`); r.barrier('src', 7); });
    r.parsed(0, 1500);
    expect(order).toEqual([]);
    r.parsed(1, 1200);
    expect(order).toEqual(['barrier at {"position":200,"maxEventTime":1500}']);
    expect(flush().filter(([dest]) => dest === 1).map(([, e]) => e.k)).toEqual(['r', 'f', 'f', 'sb']);
  });

  it('two sources that both reach the read-ahead limit both go on as pieces are delivered', async () => {
    const { r, flush } = reader(1); // one subtask: at most 8 pieces in flight
    r.add('other', { eventTime: undefined } as SourceConnector);
    const read = (n: number) => ({ readPieces: async (dispatch: (p: SourcePiece) => void | Promise<void>) => { for (const p of pieces(n)) await dispatch(p); }, parsePiece: () => ({ records: [], at: [] }) });
    const signal = new AbortController().signal;
    const done = Promise.all([r.run('src', read(10), signal), r.run('other', read(10), signal)]);
    for (let piece = 0; piece < 20; piece++) {
      await new Promise((ok) => setTimeout(ok, 0));
      r.parsed(piece, 100);
    }
    await done;
    expect(flush().filter(([, e]) => e.k === 'sw').map(([, e]) => (e as { source: string }).source).sort()).toEqual(['other', 'src']);
  });
});

