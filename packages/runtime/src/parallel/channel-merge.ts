import { NO_WATERMARK, type Batch, type Rec } from '../core/batch.js';
import { andThen, type MaybePromise } from '../core/async.js';
import type { Downstream } from '../core/node-runtime.js';

interface Waiting { record: Rec; time: number; wm: number; arrivedAt: number; seq?: number }
type Held = () => MaybePromise;

/**
 * The N channels of one edge (one per upstream subtask) merged back into the one input the
 * node has at parallelism 1, in the order the records left the sources: by their source
 * positions (`seqs`, numbered on the host and kept through stateless nodes) once every channel
 * has reported progress past a record's position; for records without one (after a stateful
 * node), once every channel's watermark has reached the record's own. Each record is then
 * judged (late or not) and fires timers exactly as it would on one thread, ties of equal
 * watermark included — what makes results independent of parallelism (docs/parallelism.md).
 * Watermarks go on as the minimum over channels (idle ones excluded, as Flink's), never past
 * a waiting record's; barriers once every channel delivered them (what comes behind one on a
 * channel waits: aligned checkpoints).
 */
export class ChannelMerge implements Inlet {
  private readonly wms: number[];
  private readonly idle: boolean[];
  private readonly progressed: number[];
  private readonly barrierSeen: boolean[];
  private held: [channel: number, event: Held][] = [];
  private waiting: Waiting[] = [];
  private forwardedWm = NO_WATERMARK;
  private allIdle = false;
  /** Ordered by source position while every batch carries them; by watermark for good once one does not. */
  private bySeq = true;

  constructor(channels: number, private readonly node: Downstream, private readonly input: number, private readonly port: string) {
    this.wms = new Array<number>(channels).fill(NO_WATERMARK);
    this.idle = new Array<boolean>(channels).fill(false);
    this.progressed = new Array<number>(channels).fill(-1);
    this.barrierSeen = new Array<boolean>(channels).fill(false);
  }

  batch(c: number, batch: Batch): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.batch(c, batch)]); return; }
    if (!batch.seqs && this.bySeq) this.orderByWatermark();
    const seqs = this.bySeq ? batch.seqs : undefined;
    if (seqs) {
      for (let i = 0; i < batch.records.length; i++) {
        this.wait({ record: batch.records[i], time: batch.times[i], wm: batch.wms[i], arrivedAt: batch.arrivedAt, seq: seqs[i] });
      }
      if (seqs.length && seqs[seqs.length - 1] > this.progressed[c]) this.progressed[c] = seqs[seqs.length - 1];
      return this.advance();
    }
    // Records at or below every channel's watermark precede everything waiting (all above it).
    const min = this.minimum();
    const now: number[] = [];
    for (let i = 0; i < batch.records.length; i++) {
      if (batch.wms[i] <= min) now.push(i);
      else this.wait({ record: batch.records[i], time: batch.times[i], wm: batch.wms[i], arrivedAt: batch.arrivedAt });
    }
    if (now.length === batch.records.length) return this.node.receive(batch, this.input, this.port);
    return andThen(now.length ? this.node.receive(pick(batch, now), this.input, this.port) : undefined, () => this.advance());
  }

  progress(c: number, seq: number): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.progress(c, seq)]); return; }
    if (seq <= this.progressed[c]) return;
    this.progressed[c] = seq;
    return this.advance();
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
    const flushed = this.release(true);
    return andThen(andThen(flushed, () => this.node.receiveBarrier(id, this.input)), () => {
      this.barrierSeen.fill(false);
      const held = this.held;
      this.held = [];
      let chain: MaybePromise = undefined;
      for (const [, event] of held) chain = andThen(chain, event);
      return chain;
    });
  }

  /** Records without a source position arrived (after a stateful node): order everything by watermark from now on. */
  private orderByWatermark(): void {
    this.bySeq = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) this.wait({ ...w, seq: undefined });
  }

  private minimum(): number {
    let min = Infinity;
    for (let i = 0; i < this.wms.length; i++) if (!this.idle[i] && this.wms[i] < min) min = this.wms[i];
    return min === Infinity ? (this.idle.every(Boolean) ? Infinity : NO_WATERMARK) : min;
  }

  /** Releases what may go, then moves the watermark on — never past a record still waiting. */
  private advance(): MaybePromise {
    return andThen(this.release(false), () => {
      let wm = this.minimum();
      for (const w of this.waiting) if (w.wm < wm) wm = w.wm;
      if (wm === Infinity || wm <= this.forwardedWm) return;
      this.forwardedWm = wm;
      return this.node.receiveWatermark(wm, this.input);
    });
  }

  /** Hands on, in order, the waiting records every channel has caught up with (`all`: everything). */
  private release(all: boolean): MaybePromise {
    const minWm = this.minimum();
    let minSeq = Infinity;
    for (const p of this.progressed) if (p < minSeq) minSeq = p;
    let n = 0;
    while (n < this.waiting.length) {
      const w = this.waiting[n];
      if (!all && (w.seq === undefined ? w.wm > minWm : w.seq > minSeq)) break;
      n++;
    }
    if (!n) return;
    const out = this.waiting.splice(0, n);
    const batch: Batch = { records: out.map((w) => w.record), times: out.map((w) => w.time), wms: out.map((w) => w.wm),
      arrivedAt: out.reduce((a, w) => Math.min(a, w.arrivedAt), Infinity) };
    if (out[0].seq !== undefined) batch.seqs = out.map((w) => w.seq!);
    return this.node.receive(batch, this.input, this.port);
  }

  /** Inserts by source position (or watermark, without one) after its equals: ties keep arrival order. */
  private wait(w: Waiting): void {
    const list = this.waiting;
    const key = (x: Waiting) => x.seq ?? x.wm;
    const k = key(w);
    if (!list.length || key(list[list.length - 1]) <= k) { list.push(w); return; }
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(list[mid]) <= k) lo = mid + 1;
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
  progress(c: number, seq: number): MaybePromise;
  watermark(c: number, wm: number): MaybePromise;
  idleness(c: number, idle: boolean): MaybePromise;
  barrier(c: number, id: number): MaybePromise;
}

export class DirectInlet implements Inlet {
  constructor(private readonly node: Downstream, private readonly input: number, private readonly port: string) {}
  batch(_c: number, batch: Batch): MaybePromise { return this.node.receive(batch, this.input, this.port); }
  progress(): MaybePromise { return undefined; }
  watermark(_c: number, wm: number): MaybePromise { return this.node.receiveWatermark(wm, this.input); }
  idleness(_c: number, idle: boolean): MaybePromise { return this.node.receiveIdle(idle, this.input); }
  barrier(_c: number, id: number): MaybePromise { return this.node.receiveBarrier(id, this.input); }
}

/** The inlet of an edge with `channels` channels into `node`. */
export function inletFor(channels: number, node: Downstream, port: string): Inlet {
  const input = node.addInput();
  return channels === 1 ? new DirectInlet(node, input, port) : new ChannelMerge(channels, node, input, port);
}
