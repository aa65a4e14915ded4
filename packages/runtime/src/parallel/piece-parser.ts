import type { Batch, Rec } from '../core/batch.js';
import { andThen, type MaybePromise } from '../core/async.js';
import type { BuiltNode } from '../core/node-builder.js';
import type { NodeRuntime } from '../core/node-runtime.js';
import type { PiecewiseSource, SourceConnector } from '../core/source.js';
import { cutAt, MAX_RECORD_DEPTH, nestsDeeperThan } from '../core/record-depth.js';
import { makeTimestampExtractor, watermarkAfter } from '../time/event-time.js';

/** A dead letter naming a line within its piece (`line`): numbered from where reading started at delivery. */
type HeldDeadLetter = [raw: { line: number }, reason: string, line: number];
interface Parsed { records: Rec[]; times: number[]; seqs: number[]; arrivedAt: number; prior: number[]; held: HeldDeadLetter[] | null }

/**
 * A subtask's instance of a source read in pieces (parallel/piece-reader.ts): it parses the
 * pieces it owns as they come, and emits one when it is delivered (parallel/piece-order.ts) — with each record's
 * watermark as one reader gives it (the watermark before the record: the greatest event time
 * before it, less maxOutOfOrderness, less 1), from the greatest time before the piece (`base`)
 * and the greatest time earlier in the piece (kept per record at parsing).
 */
export class PieceParser {
  private readonly pending = new Map<number, Parsed>();
  private readonly delay: number;
  private readonly extract: ((r: Rec) => number) | undefined;

  constructor(private readonly built: BuiltNode, private readonly source: SourceConnector & PiecewiseSource, private readonly wallClock: () => number) {
    const et = source.eventTime;
    this.delay = et?.maxOutOfOrdernessMs ?? 0;
    this.extract = et ? makeTimestampExtractor(et.field) : undefined;
  }

  /** Closes what reading the pieces opened (the subtask is closing). */
  release(): void {
    this.source.releasePieces?.();
  }

  get runtime(): NodeRuntime {
    return this.built.runtime;
  }

  /**
   * Parses one piece (held until delivered); returns its greatest event time, which every thread needs for the pieces
   * after it, and its lines where the reader did not count them (the deliveries number the lines from them).
   */
  read(piece: number, seq0: number, arrivedAt: number, work: unknown): { max: number; lines?: number } {
    const ctx = this.built.ctx;
    const deadLetter = (raw: unknown, reason: string) => ctx.deadLetter(raw, reason);
    let held: HeldDeadLetter[] | null = null;
    const parsed = this.source.parsePiece(work, (raw, reason, line) => {
      if (line === undefined) deadLetter(raw, reason);
      else (held ??= []).push([raw as { line: number }, reason, line]);
    });
    // Each array sized once: grown by a push per record they made ~100 bytes of garbage a record
    // (ysb at parallelism 2: 43 of a subtask's 150 MB per run). The parsed records are this
    // piece's own, so a dead letter is taken out in place.
    const { records, at } = parsed;
    const n = records.length;
    const times = new Array<number>(n);
    const seqs = new Array<number>(n);
    const prior = new Array<number>(n);
    let k = 0;
    const ingestedAt = this.extract ? 0 : this.wallClock();
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const r = records[i];
      // As the reader on one thread: too deep, or without a usable event time, is a dead letter and moves no watermark.
      if (nestsDeeperThan(r, MAX_RECORD_DEPTH)) { deadLetter(cutAt(r, MAX_RECORD_DEPTH), `The record nests deeper than ${MAX_RECORD_DEPTH} levels`); continue; }
      let ts = ingestedAt;
      if (this.extract) {
        try {
          ts = this.extract(r);
        } catch (err) {
          deadLetter(r, (err as Error).message);
          continue;
        }
      }
      records[k] = r;
      times[k] = ts;
      seqs[k] = seq0 + at[i];
      prior[k++] = max;
      if (ts > max) max = ts;
    }
    if (k < n) records.length = times.length = seqs.length = prior.length = k;
    this.pending.set(piece, { records, times, seqs, prior, arrivedAt, held });
    return { max, lines: parsed.lines };
  }

  /**
   * Every piece before `piece` is delivered: emit it if this subtask owns it, then move the watermark on. `line0`: the
   * lines before it since reading started, for its dead letters that name a line within it.
   */
  deliver(piece: number, wm: number, base: number, cap = Infinity, floor = -Infinity, line0 = 0): MaybePromise {
    const p = this.pending.get(piece);
    let emitted: MaybePromise = undefined;
    if (p) {
      this.pending.delete(piece);
      if (p.held) for (const [raw, reason, line] of p.held) { raw.line = line0 + line; this.built.ctx.deadLetter(raw, reason); }
      const n = p.records.length;
      if (n) {
        const wms = pieceWatermarks(p.prior, this.delay, base, cap, floor);
        const batch: Batch = { records: p.records, times: p.times, wms, arrivedAt: p.arrivedAt, seqs: p.seqs };
        emitted = this.runtime.emitFromSource(batch);
      }
    }
    return andThen(emitted, () => this.runtime.receiveWatermark(wm, -1));
  }
}

/**
 * Each record's watermark in a delivered piece, as one reader gives it: its split's (from `base` and the
 * greatest time earlier in the piece, `prior`), at most `cap` (the other splits' lowest) and at least
 * `floor` (the source's before the piece): time/split-watermarks.ts's minimum over splits.
 */
export function pieceWatermarks(prior: number[], delay: number, base: number, cap = Infinity, floor = -Infinity): number[] {
  const wms = new Array<number>(prior.length);
  for (let i = 0; i < prior.length; i++) {
    const own = watermarkAfter(prior[i] > base ? prior[i] : base, delay);
    const least = own < cap ? own : cap;
    wms[i] = least > floor ? least : floor;
  }
  return wms;
}
