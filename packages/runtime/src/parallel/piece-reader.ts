import { END_OF_TIME } from '../core/batch.js';
import { SplitWatermarks } from '../time/split-watermarks.js';
import type { MaybePromise } from '../core/async.js';
import type { PiecewiseSource, SourceConnector, SourcePiece } from '../core/source.js';
import type { SourceSnapshot } from '../checkpoint/types.js';
import type { Outbox } from './wire.js';

interface Dispatched { source: string; piece: number; seqEnd: number; end: unknown; split?: string; max?: number }
/** A source's delivered offset and watermarks (per split, as one reader's SourceDriver keeps them). */
interface SourceProgress { tracker: SplitWatermarks; position: unknown; reader?: PiecewiseSource }

/**
 * The host's side of sources read in pieces (docs/parallelism.md). Each source's reader cuts its
 * input into pieces, in order; piece n goes to subtask n mod N, which parses it and reports its
 * greatest event time. Pieces are delivered strictly in the order they were cut: once every piece
 * before one is delivered, the host knows the greatest event time before it (`base`), and tells
 * every subtask — the owner emits the piece, each record with the watermark one reader would have
 * given it (max(base, greatest time earlier in the piece) − maxOutOfOrderness − 1), the others
 * learn that those source positions are done. A source of several splits (Kafka partitions) has a
 * watermark per split: `base` is then the piece's split's greatest time, and the record's watermark
 * is capped by the other splits' lowest one (`cap`) and never below the source's before (`floor`),
 * as time/split-watermarks.ts gives it on one thread. Offsets, the watermark tracker's state and barriers
 * follow the delivered pieces, so a checkpoint holds exactly what entered the graph.
 */
export class PieceReader {
  private readonly inOrder: Dispatched[] = [];
  private nextPiece = 0;
  private readonly sources = new Map<string, SourceProgress>();
  /** The reader waits while this many pieces are cut but not delivered (eight per subtask: thread hops take time on a busy machine). */
  private readonly maxInFlight: number;
  /** Readers waiting for room (one per source that hit the limit). */
  private roomFor: (() => void)[] = [];
  /** Run once every piece cut so far is delivered (barriers, a source's end). */
  private waiting: { after: number; run: () => void }[] = [];

  constructor(
    private readonly parallelism: number,
    private readonly outbox: Outbox,
    /** The job's source positions (records are numbered in the order they were cut). */
    private readonly sequencer: { next: number },
    private readonly clock: () => number,
    private readonly timeOrigin: number,
  ) {
    this.maxInFlight = 8 * parallelism;
  }

  /** A source read in pieces, from where a checkpoint left it (restore the connector's position first). */
  add(id: string, source: SourceConnector, restored?: SourceSnapshot): void {
    // No idle timeout: idleness depends on wall-clock time, so such a source is not read in pieces.
    const tracker = new SplitWatermarks(source.eventTime?.maxOutOfOrdernessMs ?? 0, undefined, this.clock);
    if (restored) tracker.restore(restored.maxEventTime, restored.splits);
    this.sources.set(id, { tracker, position: restored?.position ?? source.checkpointPosition?.() });
  }

  /** The source's part of a checkpoint: the offset after its last delivered piece and the greatest event time before it. */
  snapshot(id: string): SourceSnapshot {
    const s = this.sources.get(id)!;
    const splits = s.tracker.snapshot();
    return { position: s.position, maxEventTime: s.tracker.maxEventTime, ...(splits && { splits }) };
  }

  /** Reads a source to its end, then (once its pieces are delivered) sends its final watermark. */
  async run(id: string, source: PiecewiseSource, signal: AbortSignal): Promise<void> {
    const s = this.sources.get(id)!;
    s.reader = source;
    // Declared splits hold the watermark back from the pieces cut after the declaration on.
    await source.readPieces((piece) => this.dispatch(id, piece), signal, (ids) => this.afterDelivered(() => s.tracker.declare(ids)));
    if (signal.aborted) return;
    await new Promise<void>((resolve) => this.afterDelivered(() => {
      this.broadcast({ k: 'sw', source: id, wm: END_OF_TIME });
      resolve();
    }));
  }

  private dispatch(source: string, p: SourcePiece): MaybePromise {
    const piece = this.nextPiece++;
    const seq0 = this.sequencer.next;
    this.sequencer.next += p.count;
    this.inOrder.push({ source, piece, seqEnd: seq0 + p.count, end: p.end, split: p.split });
    const sent = this.outbox.add(piece % this.parallelism, { k: 'r', source, piece, seq0, at: this.clock() + this.timeOrigin, work: p.work });
    if (this.inOrder.length < this.maxInFlight) return sent ?? this.outbox.gate();
    // Bounded read-ahead: parsed pieces wait in the subtasks' memory, and a barrier goes after the pieces cut.
    return new Promise<void>((resolve) => { this.roomFor.push(resolve); });
  }

  /** A subtask parsed a piece: deliver every piece whose predecessors are all parsed. */
  parsed(piece: number, max: number): void {
    const first = this.inOrder[0];
    if (!first || piece < first.piece) return;
    this.inOrder[piece - first.piece].max = max;
    while (this.inOrder.length && this.inOrder[0].max !== undefined) this.deliver(this.inOrder.shift()!);
  }

  private deliver(d: Dispatched): void {
    const s = this.sources.get(d.source)!;
    const t = s.tracker;
    t.select(d.split);
    const { max: base, others } = t.bounds(d.split);
    const floor = t.current;
    t.observe(d.max!); // the piece's greatest time: the same watermark as observing each of its records
    s.position = d.end;
    s.reader?.piecesDelivered?.(d.end);
    const wm = t.current;
    const f = { k: 'f', source: d.source, piece: d.piece, base, seqEnd: d.seqEnd, wm } as const;
    this.broadcast(others === Infinity ? f : { ...f, cap: others, floor });
    while (this.waiting.length && this.waiting[0].after <= d.piece) this.waiting.shift()!.run();
    if (this.roomFor.length && this.inOrder.length < this.maxInFlight) {
      const resume = this.roomFor;
      this.roomFor = [];
      for (const r of resume) r();
    }
  }

  /** Runs `run` once every piece cut so far has been delivered (at once when none is in flight). */
  afterDelivered(run: () => void): void {
    if (!this.inOrder.length) { run(); return; }
    this.waiting.push({ after: this.nextPiece - 1, run });
  }

  /** A barrier at a source: after its delivered pieces on every subtask. */
  barrier(source: string, id: number): void {
    this.broadcast({ k: 'sb', source, id });
  }

  private broadcast(ev: Parameters<Outbox['add']>[1]): void {
    for (let k = 0; k < this.parallelism; k++) this.outbox.add(k, ev);
  }
}
