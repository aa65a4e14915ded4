import { andThen, isPromise, type MaybePromise } from '../core/async.js';
import { SplitWatermarks } from '../time/split-watermarks.js';

/** What a piece's owner tells everyone once it has parsed it (wire 'm'). */
export interface PieceNews {
  source: string;
  piece: number;
  /** The piece's greatest event time (-Infinity: none). */
  max: number;
  /** Just past the piece's last source position. */
  seqEnd: number;
  split?: string;
  /** How many control events the host had sent before it cut this piece (they may bear on pieces before it). */
  ctl: number;
  /** Its lines, where its source's reader does not count them (JSON lines): the deliveries number lines from them. */
  lines?: number;
}

/**
 * A delivered piece: its owner emits it, each record with the watermark one reader would give it
 * from `base` (a source of several splits: at most `cap`, the other splits' lowest, at least
 * `floor`, the source's before); `wm` is the source's watermark after it.
 */
export interface Delivery { source: string; piece: number; base: number; seqEnd: number; wm: number; cap?: number; floor?: number; line0?: number }

/** A source's greatest event time and per-split watermarks, as a checkpoint keeps them. */
export interface TrackerState { maxEventTime: number; splits?: Record<string, number> }

/**
 * The order in which pieces of sources read in pieces enter the graph (docs/parallelism.md):
 * strictly the order they were cut, each once every piece before it is parsed. The host and
 * every subtask each keep one, fed the same news, so each works the deliveries out for itself
 * and they agree: the same pieces in the same order through the same watermark trackers
 * (time/split-watermarks.ts, one per source). Control events (a barrier, a source's end, a
 * declaration of splits) are placed after a given piece; a piece waits until the control
 * events the host sent before cutting it have come (they come from the host, the news from
 * the other subtasks, over different ports).
 */
export class PieceOrder {
  /** The next piece to deliver. */
  private next = 0;
  private readonly news = new Map<number, PieceNews>();
  private readonly trackers = new Map<string, SplitWatermarks>();
  /** Per source, the lines of the pieces delivered since reading started (pieces that report their lines). */
  private readonly lines = new Map<string, number>();
  /** In the order they came; `after` never decreases (each is placed after the last piece cut when it happens). */
  private controls: { after: number; run: () => MaybePromise }[] = [];
  private controlsSeen = 0;
  /** The steps still running (a delivery that awaits): later steps go after them. */
  private running: Promise<void> | undefined;

  constructor(private readonly onDelivery: (d: Delivery) => MaybePromise) {}

  /** A source read in pieces, from the state a checkpoint left it in. */
  addSource(id: string, maxOutOfOrdernessMs: number, restored?: TrackerState): void {
    // No idle timeout (a source read in pieces has none), so the clock is never read for idleness.
    const tracker = new SplitWatermarks(maxOutOfOrdernessMs, undefined, () => 0);
    if (restored) tracker.restore(restored.maxEventTime, restored.splits);
    this.trackers.set(id, tracker);
  }

  tracker(id: string): SplitWatermarks {
    return this.trackers.get(id)!;
  }

  /** Pieces delivered so far (the last is `delivered - 1`). */
  get delivered(): number {
    return this.next;
  }

  /** A parsed piece: delivers it and every piece after it that can go now. */
  parsed(n: PieceNews): MaybePromise {
    if (n.piece < this.next) return;
    this.news.set(n.piece, n);
    return this.pump();
  }

  /** A control event from the host: runs after piece `after` is delivered (at once if it is). */
  control(after: number, run: () => MaybePromise): MaybePromise {
    this.controlsSeen++;
    this.controls.push({ after, run });
    return this.pump();
  }

  /**
   * Everything due, in order: controls placed before the next piece, then that piece (once its
   * news and the controls before it have come), and so on. Each step runs after the one
   * before it has finished (a chain), so the trackers see pieces and declarations in order.
   */
  private pump(): MaybePromise {
    let chain: MaybePromise = this.running;
    for (;;) {
      while (this.controls.length && this.controls[0].after < this.next) chain = andThen(chain, this.controls.shift()!.run);
      const n = this.news.get(this.next);
      if (n === undefined || n.ctl > this.controlsSeen) break;
      this.news.delete(this.next);
      this.next++;
      chain = andThen(chain, () => this.onDelivery(this.deliver(n)));
    }
    if (!isPromise(chain) || chain === this.running) return chain;
    const running: Promise<void> = chain.then(() => { if (this.running === running) this.running = undefined; });
    this.running = running;
    return running;
  }

  private deliver(n: PieceNews): Delivery {
    const t = this.trackers.get(n.source)!;
    t.select(n.split);
    const { max: base, others } = t.bounds(n.split);
    const floor = t.current;
    t.observe(n.max); // the piece's greatest time: the same watermark as observing each of its records
    const d: Delivery = { source: n.source, piece: n.piece, base, seqEnd: n.seqEnd, wm: t.current };
    if (others !== Infinity) { d.cap = others; d.floor = floor; }
    if (n.lines !== undefined) {
      d.line0 = this.lines.get(n.source) ?? 0;
      this.lines.set(n.source, d.line0 + n.lines);
    }
    return d;
  }
}
