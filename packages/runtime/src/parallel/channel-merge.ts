import { NO_WATERMARK, type Batch, type Rec } from '../core/batch.js';
import { andThen, type MaybePromise } from '../core/async.js';
import type { Downstream } from '../core/node-runtime.js';

interface Waiting { record: Rec; time: number; wm: number; arrivedAt: number }
type Held = () => MaybePromise;

/**
 * The N channels of one edge (one per upstream subtask) merged back into the one input the
 * node has at parallelism 1. A record leaves the merge only when every channel's watermark
 * has reached the record's own, so the node sees records in the order of their watermarks —
 * the order they left the source — however the channels interleave. Each record is then
 * judged (late or not) and fires timers exactly as it would on one thread; this is what
 * makes results independent of parallelism (docs/parallelism.md). Watermarks go on as the
 * minimum over channels (idle ones excluded, as Flink's), barriers once every channel
 * delivered them (what comes behind one on a channel waits: aligned checkpoints).
 */
export class ChannelMerge implements Inlet {
  private readonly wms: number[];
  private readonly idle: boolean[];
  private readonly barrierSeen: boolean[];
  private held: [channel: number, event: Held][] = [];
  private waiting: Waiting[] = [];
  private forwardedWm = NO_WATERMARK;
  private allIdle = false;

  constructor(channels: number, private readonly node: Downstream, private readonly input: number, private readonly port: string) {
    this.wms = new Array<number>(channels).fill(NO_WATERMARK);
    this.idle = new Array<boolean>(channels).fill(false);
    this.barrierSeen = new Array<boolean>(channels).fill(false);
  }

  batch(c: number, batch: Batch): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.batch(c, batch)]); return; }
    // Records at or below every channel's watermark precede everything waiting (all above it).
    const min = this.minimum();
    const now: number[] = [];
    for (let i = 0; i < batch.records.length; i++) {
      if (batch.wms[i] <= min) now.push(i);
      else this.wait({ record: batch.records[i], time: batch.times[i], wm: batch.wms[i], arrivedAt: batch.arrivedAt });
    }
    if (now.length === batch.records.length) return this.node.receive(batch, this.input, this.port);
    return now.length ? this.node.receive(pick(batch, now), this.input, this.port) : undefined;
  }

  watermark(c: number, wm: number): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.watermark(c, wm)]); return; }
    if (wm <= this.wms[c]) return;
    this.wms[c] = wm;
    return this.advance();
  }

  idleness(c: number, idle: boolean): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.idleness(c, idle)]); return; }
    if (this.idle[c] === idle) return;
    this.idle[c] = idle;
    const allIdle = this.idle.every(Boolean);
    return andThen(allIdle ? undefined : this.advance(), () => {
      if (allIdle === this.allIdle) return;
      this.allIdle = allIdle;
      return this.node.receiveIdle(allIdle, this.input);
    });
  }

  barrier(c: number, id: number): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.barrier(c, id)]); return; }
    this.barrierSeen[c] = true;
    if (!this.barrierSeen.every(Boolean)) return;
    // Every channel delivered what precedes the barrier: nothing of it may stay behind.
    const flushed = this.release(Infinity);
    return andThen(andThen(flushed, () => this.node.receiveBarrier(id, this.input)), () => {
      this.barrierSeen.fill(false);
      const held = this.held;
      this.held = [];
      let chain: MaybePromise = undefined;
      for (const [, event] of held) chain = andThen(chain, event);
      return chain;
    });
  }

  private minimum(): number {
    let min = Infinity;
    for (let i = 0; i < this.wms.length; i++) if (!this.idle[i] && this.wms[i] < min) min = this.wms[i];
    return min === Infinity ? (this.idle.every(Boolean) ? Infinity : NO_WATERMARK) : min;
  }

  private advance(): MaybePromise {
    const min = this.minimum();
    const released = this.release(min);
    if (min === Infinity || min <= this.forwardedWm) return released;
    this.forwardedWm = min;
    return andThen(released, () => this.node.receiveWatermark(min, this.input));
  }

  /** Hands on, in watermark order, the waiting records every channel has caught up with. */
  private release(upTo: number): MaybePromise {
    let n = 0;
    while (n < this.waiting.length && this.waiting[n].wm <= upTo) n++;
    if (!n) return;
    const out = this.waiting.splice(0, n);
    const batch: Batch = { records: out.map((w) => w.record), times: out.map((w) => w.time), wms: out.map((w) => w.wm),
      arrivedAt: out.reduce((a, w) => Math.min(a, w.arrivedAt), Infinity) };
    return this.node.receive(batch, this.input, this.port);
  }

  /** Inserts after every waiting record with a watermark at or below this one (ties keep arrival order). */
  private wait(w: Waiting): void {
    const list = this.waiting;
    if (!list.length || list[list.length - 1].wm <= w.wm) { list.push(w); return; }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].wm <= w.wm) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, w);
  }
}

function pick(batch: Batch, idx: number[]): Batch {
  return { records: idx.map((i) => batch.records[i]), times: idx.map((i) => batch.times[i]), wms: idx.map((i) => batch.wms[i]), arrivedAt: batch.arrivedAt };
}

/** Where the events of one edge arrive on a thread: one channel straight into the node, or several through a merge. */
export interface Inlet {
  batch(c: number, batch: Batch): MaybePromise;
  watermark(c: number, wm: number): MaybePromise;
  idleness(c: number, idle: boolean): MaybePromise;
  barrier(c: number, id: number): MaybePromise;
}

export class DirectInlet implements Inlet {
  constructor(private readonly node: Downstream, private readonly input: number, private readonly port: string) {}
  batch(_c: number, batch: Batch): MaybePromise { return this.node.receive(batch, this.input, this.port); }
  watermark(_c: number, wm: number): MaybePromise { return this.node.receiveWatermark(wm, this.input); }
  idleness(_c: number, idle: boolean): MaybePromise { return this.node.receiveIdle(idle, this.input); }
  barrier(_c: number, id: number): MaybePromise { return this.node.receiveBarrier(id, this.input); }
}

/** The inlet of an edge with `channels` channels into `node`. */
export function inletFor(channels: number, node: Downstream, port: string): Inlet {
  const input = node.addInput();
  return channels === 1 ? new DirectInlet(node, input, port) : new ChannelMerge(channels, node, input, port);
}
