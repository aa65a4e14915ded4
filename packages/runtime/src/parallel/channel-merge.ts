import { NO_WATERMARK, type Batch, type Rec } from '../core/batch.js';
import { andThen, type MaybePromise } from '../core/async.js';
import type { Downstream } from '../core/node-runtime.js';
import { ChannelQueue } from './channel-queue.js';

type Held = () => MaybePromise;

/** An edge into the node: its input index and port. */
export interface MergeTarget { input: number; port: string }

/**
 * The N channels of each of a node's edges (one per upstream subtask) merged back into the
 * input the node has at parallelism 1, in the order the records left the sources: by their
 * source positions (`seqs`, numbered on the host and kept through stateless nodes) once every
 * channel has reported progress past a record's position; for records without one (after a
 * stateful node), once every channel's watermark has reached the record's own. Each record is
 * then judged (late or not) and fires timers exactly as it would on one thread, ties of equal
 * watermark included — what makes results independent of parallelism (docs/parallelism.md).
 * Watermarks go on as the minimum over channels (idle ones excluded, as Flink's), never past
 * a waiting record's; barriers once every channel delivered them (what comes behind one on a
 * channel waits: aligned checkpoints). What waits is kept per channel and merged on release.
 *
 * One merge may serve several edges of a node (a join's two sides, fed by one source read in
 * pieces): then the records of all its edges are released in one source order, each run of one
 * edge to that edge's input, and watermarks, idleness and barriers go to every input — as on
 * one thread, where both sides' records of a source batch reach the node before the next batch.
 * Channel g is edge g ÷ N's channel g mod N (`edgeInlet`).
 */
export class ChannelMerge implements Inlet {
  private readonly wms: number[];
  private readonly idle: boolean[];
  private readonly progressed: number[];
  private readonly barrierSeen: boolean[];
  private readonly queues: ChannelQueue[];
  private held: [channel: number, event: Held][] = [];
  private arrivals = 0;
  private forwardedWm = NO_WATERMARK;
  private allIdle = false;
  /** Ordered by source position while every batch carries them; by watermark for good once one does not. */
  private bySeq = true;
  /** Each channel's edge (channel g is edge g ÷ N's): looked up per released record. */
  private readonly targetOf: MergeTarget[];

  constructor(private readonly perEdge: number, private readonly node: Downstream, private readonly targets: MergeTarget[]) {
    const channels = perEdge * targets.length;
    this.targetOf = Array.from({ length: channels }, (_c, g) => targets[Math.floor(g / perEdge)]);
    this.wms = new Array<number>(channels).fill(NO_WATERMARK);
    this.idle = new Array<boolean>(channels).fill(false);
    this.progressed = new Array<number>(channels).fill(-1);
    this.barrierSeen = new Array<boolean>(channels).fill(false);
    this.queues = Array.from({ length: channels }, () => new ChannelQueue());
  }

  /** The inlet of the merge's `t`-th edge: its channel c is the merge's channel t × N + c. */
  edgeInlet(t: number): Inlet {
    const base = t * this.perEdge;
    return {
      batch: (c, b) => this.batch(base + c, b),
      progress: (c, seq) => this.progress(base + c, seq),
      watermark: (c, wm) => this.watermark(base + c, wm),
      idleness: (c, idle) => this.idleness(base + c, idle),
      barrier: (c, id) => this.barrier(base + c, id),
    };
  }

  /** The same event for every edge's input, one after the other. */
  private toEveryInput(each: (t: MergeTarget) => MaybePromise): MaybePromise {
    let chain: MaybePromise = undefined;
    for (const t of this.targets) chain = andThen(chain, () => each(t));
    return chain;
  }

  batch(c: number, batch: Batch): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.batch(c, batch)]); return; }
    if (!batch.seqs && this.bySeq) this.orderByWatermark();
    const seqs = this.bySeq ? batch.seqs : undefined;
    const q = this.queues[c];
    if (seqs) {
      for (let i = 0; i < batch.records.length; i++) q.push(batch.records[i], batch.times[i], batch.wms[i], batch.arrivedAt, seqs[i], this.arrivals++);
      if (seqs.length && seqs[seqs.length - 1] > this.progressed[c]) this.progressed[c] = seqs[seqs.length - 1];
      return this.advance();
    }
    // Records at or below every channel's watermark precede everything waiting (all above it).
    const min = this.minimum();
    const now: number[] = [];
    for (let i = 0; i < batch.records.length; i++) {
      if (batch.wms[i] <= min) now.push(i);
      else q.push(batch.records[i], batch.times[i], batch.wms[i], batch.arrivedAt, undefined, this.arrivals++);
    }
    const { input, port } = this.targetOf[c];
    if (now.length === batch.records.length) return this.node.receive(batch, input, port);
    return andThen(now.length ? this.node.receive(pick(batch, now), input, port) : undefined, () => this.advance());
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
      return this.toEveryInput((t) => this.node.receiveIdle(allIdle, t.input));
    });
  }

  barrier(c: number, id: number): MaybePromise {
    if (this.barrierSeen[c]) { this.held.push([c, () => this.barrier(c, id)]); return; }
    this.barrierSeen[c] = true;
    if (!this.barrierSeen.every(Boolean)) return;
    // Every channel delivered what precedes the barrier: nothing of it may stay behind, nor may
    // the watermark those records held back (a partial held to its window's end can stand after
    // the last record's position: at the end of input only barrier 0 releases it).
    const flushed = andThen(this.release(true), () => this.advance());
    return andThen(andThen(flushed, () => this.toEveryInput((t) => this.node.receiveBarrier(id, t.input))), () => {
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
    // A channel's records in source order have non-decreasing watermarks: each queue stays in order.
    for (const q of this.queues) q.dropSeqs();
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
      for (const q of this.queues) { const low = q.lowestWm(); if (low < wm) wm = low; }
      if (wm === Infinity || wm <= this.forwardedWm) return;
      this.forwardedWm = wm;
      return this.toEveryInput((t) => this.node.receiveWatermark(wm, t.input));
    });
  }

  /** Hands on, in order, the waiting records every channel has caught up with (`all`: everything), a batch per run of one edge. */
  private release(all: boolean): MaybePromise {
    const minWm = this.minimum();
    let minSeq = Infinity;
    for (const p of this.progressed) if (p < minSeq) minSeq = p;
    const runs: [MergeTarget, Batch][] = [];
    let run: Run | null = null;
    let runTarget: MergeTarget | null = null;
    const queues = this.queues;
    for (;;) {
      // The next record over all channels: the lowest key, then the lowest watermark (partials
      // held to their window's end stand between two source positions, where the watermark
      // only grows: pre-aggregate.ts), then arrival order.
      let best = -1;
      let bestKey = 0;
      let bestWm = 0;
      let bestOrd = 0;
      for (let c = 0; c < queues.length; c++) {
        const q = queues[c];
        const h = q.head;
        if (h >= q.records.length) continue;
        const k = q.key(h);
        const w = q.wms[h];
        if (best < 0 || k < bestKey || (k === bestKey && (w < bestWm || (w === bestWm && q.ord[h] < bestOrd)))) {
          best = c; bestKey = k; bestWm = w; bestOrd = q.ord[h];
        }
      }
      if (best < 0) break;
      const q = queues[best];
      const h = q.head;
      const seq = q.seqs[h];
      if (!all && (seq === undefined ? q.wms[h] > minWm : seq > minSeq)) break;
      const target = this.targetOf[best];
      if (run === null || target !== runTarget) {
        if (run) runs.push([runTarget!, batchOfRun(run)]);
        run = { records: [], times: [], wms: [], arrivedAt: Infinity, seqs: [], withSeqs: true };
        runTarget = target;
      }
      run.records.push(q.records[h]);
      run.times.push(q.times[h]);
      run.wms.push(q.wms[h]);
      if (seq !== undefined) run.seqs.push(seq);
      else run.withSeqs = false;
      if (q.at[h] < run.arrivedAt) run.arrivedAt = q.at[h];
      q.records[h] = undefined as unknown as Rec; // let it go
      q.head++;
    }
    for (const q of queues) q.compact();
    if (run) runs.push([runTarget!, batchOfRun(run)]);
    let chain: MaybePromise = undefined;
    for (const [t, b] of runs) chain = andThen(chain, () => this.node.receive(b, t.input, t.port));
    return chain;
  }
}

/** Released records of one edge in a row. */
interface Run { records: Rec[]; times: number[]; wms: number[]; arrivedAt: number; seqs: number[]; withSeqs: boolean }

/** A released run as a batch: with its source positions only when every record had one. */
function batchOfRun(run: Run): Batch {
  const { records, times, wms, arrivedAt, seqs } = run;
  return run.withSeqs ? { records, times, wms, arrivedAt, seqs } : { records, times, wms, arrivedAt };
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
  return channels === 1 ? new DirectInlet(node, input, port) : new ChannelMerge(channels, node, [{ input, port }]);
}

/** One merge for several edges into `node` (`ports`, in the order the node's inputs are declared), each with `channels` channels. */
export function mergedInletsFor(channels: number, node: Downstream, ports: string[]): Inlet[] {
  const merge = new ChannelMerge(channels, node, ports.map((port) => ({ input: node.addInput(), port })));
  return ports.map((_p, t) => merge.edgeInlet(t));
}
