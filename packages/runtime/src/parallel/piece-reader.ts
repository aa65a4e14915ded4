import { END_OF_TIME } from '../core/batch.js';
import type { MaybePromise } from '../core/async.js';
import type { PiecewiseSource, SourceConnector, SourcePiece } from '../core/source.js';
import type { SourceSnapshot } from '../checkpoint/types.js';
import type { Outbox, WireEvent } from './wire.js';
import { PARSES_PER_MESSAGE } from './subtask.js';
import { PieceOrder, type Delivery, type PieceNews, type TrackerState } from './piece-order.js';

/** A source's delivered offset (its watermark trackers are the PieceOrder's). */
interface SourceProgress { position: unknown; reader?: PiecewiseSource }
type Control = Extract<WireEvent, { k: 'sb' | 'sw' | 'sd' }>;
type Unplaced<E> = E extends Control ? Omit<E, 'after'> : never;

/**
 * The host's side of sources read in pieces (docs/parallelism.md). Each source's reader cuts its
 * input into pieces, in order; each piece goes to the subtask with the fewest pieces still to
 * parse (`owner`), which parses it and tells the host and the other subtasks its greatest event
 * time ('m'). Each of them works out the deliveries for itself (parallel/piece-order.ts): a
 * piece enters the graph once every piece before it has, the owner emits it with each record's
 * watermark as one reader gives it. The host keeps the same order for the offsets, the
 * watermark trackers' state and its read-ahead, so a checkpoint holds exactly what entered the
 * graph. A barrier, a source's end and a declaration of splits are placed after the last piece
 * cut when they happen ('after').
 */
export class PieceReader {
  private nextPiece = 0;
  /** Each cut piece's offset after it, until delivered. */
  private readonly ends = new Map<number, unknown>();
  /** Each cut piece's subtask, until its news comes, and how many pieces each subtask has yet to parse. */
  private readonly owners = new Map<number, number>();
  private readonly unparsed: number[];
  private readonly sources = new Map<string, SourceProgress>();
  private readonly order = new PieceOrder((d) => this.delivered(d));
  /** Control events sent to the subtasks so far (each piece says how many came before it). */
  private controls = 0;
  /**
   * The reader waits while this many pieces are cut but not delivered as far as the host knows: eight per subtask (thread
   * hops take time on a busy machine), and the news a subtask may hold back (Subtask.afterParse).
   */
  private readonly maxInFlight: number;
  /** Readers waiting for room (one per source that hit the limit). */
  private roomFor: (() => void)[] = [];

  constructor(
    private readonly parallelism: number,
    private readonly outbox: Outbox,
    /** The job's source positions (records are numbered in the order they were cut). */
    private readonly sequencer: { next: number },
    private readonly clock: () => number,
    private readonly timeOrigin: number,
  ) {
    this.maxInFlight = (8 + PARSES_PER_MESSAGE) * parallelism;
    this.unparsed = new Array<number>(parallelism).fill(0);
  }

  /** A source read in pieces, from where a checkpoint left it (restore the connector's position first). */
  add(id: string, source: SourceConnector, restored?: SourceSnapshot): void {
    // No idle timeout: idleness depends on wall-clock time, so such a source is not read in pieces.
    this.order.addSource(id, source.eventTime?.maxOutOfOrdernessMs ?? 0, restored);
    this.sources.set(id, { position: restored?.position ?? source.checkpointPosition?.() });
  }

  /** Each source's watermark state as restored, for the subtasks' own trackers (before any piece is cut). */
  trackerStates(): [string, TrackerState][] {
    return [...this.sources.keys()].map((id) => [id, this.trackerState(id)]);
  }

  private trackerState(id: string): TrackerState {
    const t = this.order.tracker(id);
    const splits = t.snapshot();
    return { maxEventTime: t.maxEventTime, ...(splits && { splits }) };
  }

  /** The source's part of a checkpoint: the offset after its last delivered piece and the greatest event time before it. */
  snapshot(id: string): SourceSnapshot {
    return { position: this.sources.get(id)!.position, ...this.trackerState(id) };
  }

  /** Reads a source to its end, then sends its final watermark; resolves once its pieces are delivered. */
  async run(id: string, source: PiecewiseSource, signal: AbortSignal): Promise<void> {
    const s = this.sources.get(id)!;
    s.reader = source;
    // Declared splits hold the watermark back from the pieces cut after the declaration on.
    await source.readPieces((piece) => this.dispatch(id, piece), signal,
      (ids) => this.control({ k: 'sd', source: id, ids }, () => this.order.tracker(id).declare(ids)));
    if (signal.aborted) return;
    await new Promise<void>((resolve) => this.control({ k: 'sw', source: id, wm: END_OF_TIME }, resolve));
  }

  private dispatch(source: string, p: SourcePiece): MaybePromise {
    const piece = this.nextPiece++;
    const seq0 = this.sequencer.next;
    this.sequencer.next += p.count;
    this.ends.set(piece, p.end);
    const k = this.owner(piece);
    this.owners.set(piece, k);
    this.unparsed[k]++;
    const sent = this.outbox.add(k, {
      k: 'r', source, piece, seq0, seqEnd: seq0 + p.count, ...(p.split !== undefined && { split: p.split }), ctl: this.controls,
      at: this.clock() + this.timeOrigin, work: p.work,
    });
    if (this.inFlight < this.maxInFlight) return sent ?? this.outbox.gate();
    // Bounded read-ahead: parsed pieces wait in the subtasks' memory, and a barrier goes after the pieces cut.
    return new Promise<void>((resolve) => { this.roomFor.push(resolve); });
  }

  /**
   * The subtask with the fewest pieces yet to parse as far as the host knows (a subtask's news may
   * wait a few pieces: Subtask.afterParse), ties in turn. Pieces enter the graph in cut
   * order whoever parses them, so a subtask held up (its core taken by another thread, a garbage
   * collection) gets fewer, and the others do not wait idle for the read-ahead to free up.
   */
  private owner(piece: number): number {
    const n = this.parallelism;
    let best = piece % n;
    for (let j = 1; j < n; j++) {
      const k = (piece + j) % n;
      if (this.unparsed[k] < this.unparsed[best]) best = k;
    }
    return best;
  }

  private get inFlight(): number {
    return this.nextPiece - this.order.delivered;
  }

  /** A subtask parsed a piece (its news, as every subtask gets it): deliver every piece whose predecessors are all parsed. */
  parsed(news: PieceNews): void {
    const k = this.owners.get(news.piece);
    if (k !== undefined) {
      this.owners.delete(news.piece);
      this.unparsed[k]--;
    }
    void this.order.parsed(news);
  }

  private delivered(d: Delivery): void {
    const s = this.sources.get(d.source)!;
    s.position = this.ends.get(d.piece);
    this.ends.delete(d.piece);
    s.reader?.piecesDelivered?.(s.position);
    if (this.roomFor.length && this.inFlight < this.maxInFlight) {
      const resume = this.roomFor;
      this.roomFor = [];
      for (const r of resume) r();
    }
  }

  /** A barrier at a source, after the pieces cut so far on every subtask; `run` once the host has delivered them too. */
  barrier(source: string, id: number, run: () => void): void {
    this.control({ k: 'sb', source, id }, run);
  }

  /** Tells every subtask of a control event after the last piece cut; the host's own part (`run`) goes at the same place. */
  private control(ev: Unplaced<Control>, run: () => void): void {
    const placed = { ...ev, after: this.nextPiece - 1 } as Control;
    this.controls++;
    for (let k = 0; k < this.parallelism; k++) this.outbox.add(k, placed);
    void this.order.control(placed.after, run);
  }
}
