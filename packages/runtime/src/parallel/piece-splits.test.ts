import { describe, expect, it } from 'vitest';
import type { SourceSnapshot } from '../checkpoint/types.js';
import type { SourceConnector, SourcePiece } from '../core/source.js';
import { SplitWatermarks } from '../time/split-watermarks.js';
import { pieceWatermarks } from './piece-parser.js';
import { PieceReader } from './piece-reader.js';
import { Outbox, type WireEvent } from './wire.js';
import { PieceOrder, type Delivery } from './piece-order.js';

const DELAY = 50;
const SPLITS = ['0', '1', '2'];

interface Piece { split: string; times: number[] }

/** Pieces of three partitions, each ahead or behind the others, out of order within a partition, some records far late. */
function piecesOf(seed: number, n: number): Piece[] {
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const clock = [1000, 5000, 3000];
  return Array.from({ length: n }, () => {
    const s = Math.floor(rnd() * 3);
    const times = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => {
      clock[s] += Math.floor(rnd() * 200);
      return clock[s] - Math.floor(rnd() * 100) - (rnd() < 0.1 ? 3000 : 0);
    });
    return { split: SPLITS[s], times };
  });
}

/** Each record's watermark and each piece's, as one reader gives them (core/source-driver.ts with SplitWatermarks). */
function oneReader(pieces: Piece[], restored?: SourceSnapshot) {
  const t = new SplitWatermarks(DELAY, undefined, () => 0);
  if (restored) t.restore(restored.maxEventTime, restored.splits);
  t.declare(SPLITS);
  const records: number[][] = [];
  const after: number[] = [];
  for (const p of pieces) {
    t.select(p.split);
    records.push(p.times.map((ts) => { const wm = t.current; t.observe(ts); return wm; }));
    after.push(t.current);
  }
  return { records, after, snapshot: { maxEventTime: t.maxEventTime, splits: t.snapshot() } };
}

/**
 * The same pieces through the PieceReader (the host) and a subtask's PieceOrder, each parsed in reverse order of arrival;
 * the subtask hears of a parsed piece before the control events the host sent it (they come another way): each record's
 * watermark from the subtask's own delivery.
 */
async function inPieces(pieces: Piece[], restored?: SourceSnapshot) {
  const told: WireEvent[] = [];
  // Every piece's 'r' (to its owner), and what subtask 0 is told of the rest.
  const outbox = new Outbox((dest, events) => { told.push(...events.filter((e) => dest === 0 || e.k === 'r')); }, -1, null);
  const r = new PieceReader(2, outbox, { next: 0 }, () => 0, 0);
  r.add('src', { eventTime: { field: 'ts', maxOutOfOrdernessMs: DELAY } } as SourceConnector, restored);
  const delivered: Delivery[] = [];
  const subtask = new PieceOrder((d) => { delivered.push(d); });
  subtask.addSource('src', DELAY, r.trackerStates()[0][1]);
  const work: SourcePiece[] = pieces.map((p, i) => ({ work: i, count: p.times.length, end: i + 1, split: p.split }));
  let ended = false;
  const run = r.run('src', {
    readPieces: async (dispatch, _signal, splits) => { splits?.(SPLITS); for (const w of work) await dispatch(w); },
    parsePiece: () => ({ records: [], at: [] }),
  }, new AbortController().signal).then(() => { ended = true; });
  const parsed = new Set<number>();
  let seen = 0;
  while (!ended) {
    await new Promise((ok) => setTimeout(ok, 0));
    outbox.flush();
    const cut = told.filter((e): e is Extract<WireEvent, { k: 'r' }> => e.k === 'r' && !parsed.has(e.piece));
    for (const e of cut.reverse()) {
      parsed.add(e.piece);
      const news = { source: e.source, piece: e.piece, max: Math.max(...pieces[e.piece].times), seqEnd: e.seqEnd, split: e.split, ctl: e.ctl };
      r.parsed(news);
      void subtask.parsed(news);
    }
    for (const e of told.slice(seen)) {
      if (e.k === 'sd') void subtask.control(e.after, () => subtask.tracker('src').declare(e.ids));
      if (e.k === 'sw') void subtask.control(e.after, () => undefined);
    }
    seen = told.length;
  }
  await run;
  const records = delivered.map((d, i) => {
    const prior = pieces[i].times.map((_ts, j) => Math.max(-Infinity, ...pieces[i].times.slice(0, j)));
    return pieceWatermarks(prior, DELAY, d.base, d.cap, d.floor);
  });
  expect(delivered.map((d) => d.piece)).toEqual(pieces.map((_p, i) => i));
  return { records, after: delivered.map((d) => d.wm), snapshot: r.snapshot('src') };
}

describe('sources of several splits read in pieces (Kafka partitions)', () => {
  it('give every record, and the source after each piece, the watermark one reader gives: the minimum over partitions', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const pieces = piecesOf(seed, 60);
      const want = oneReader(pieces);
      const got = await inPieces(pieces);
      expect(got.records, `seed ${seed}`).toEqual(want.records);
      expect(got.after).toEqual(want.after);
      expect(got.snapshot).toEqual({ position: 60, ...want.snapshot });
      // The partitions are apart in time: a watermark of the greatest time over all of them would differ.
      expect(want.records.flat().some((wm, i) => wm < Math.max(...pieces.flatMap((p) => p.times).slice(0, i)) - DELAY - 1)).toBe(true);
    }
  });

  it('restored from a checkpoint that knew two of the three partitions, as one reader restored from it', async () => {
    const restored = { position: 0, maxEventTime: 4000, splits: { 0: 2500, 1: 4000 } };
    const pieces = piecesOf(9, 40);
    const want = oneReader(pieces, restored);
    const got = await inPieces(pieces, restored);
    expect(got.records).toEqual(want.records);
    expect(got.after).toEqual(want.after);
    expect(got.snapshot).toEqual({ position: 40, ...want.snapshot });
  });
});
