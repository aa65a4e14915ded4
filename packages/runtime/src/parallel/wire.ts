import type { Batch, Rec } from '../core/batch.js';
import { allDone, type MaybePromise } from '../core/async.js';
import type { Downstream } from '../core/node-runtime.js';
import type { PlannedEdge } from './plan.js';
import { keyGroupOf, keyReader, subtaskOfKeyGroup } from './partitioner.js';
import type { RecordSchema } from '@eddy/shared';
import { preAggregatorFor, type PreAggregator } from './pre-aggregators.js';
import { PARTIAL, type Combined, type Frontier } from '../operators/window/pre-aggregate.js';
import type { PieceNews } from './piece-order.js';

/**
 * What crosses between a parallel job's threads, in order per pair of threads. Records go
 * as whole batches (parallel arrays), many events per message: never a message per record.
 * `e` is the planned edge, `c` the channel (the sending subtask; 0 from the host).
 */
export type WireEvent =
  | { k: 'b'; e: number; c: number; records: Rec[]; times: number[]; wms: number[]; at: number; seqs?: number[] }
  /** Progress: the channel has delivered every record it will of those up to source position `seq`. */
  | { k: 'p'; e: number; c: number; seq: number }
  | { k: 'w'; e: number; c: number; wm: number }
  | { k: 'i'; e: number; c: number; idle: boolean }
  | { k: 'x'; e: number; c: number; id: number }
  /** A source's watermark, for multi-input nodes whose records it bounds (watermark caps). */
  | { k: 's'; source: string; wm: number; idle: boolean }
  /**
   * Sources read in pieces (parallel/piece-reader.ts): a piece for its subtask to parse, records numbered from seq0 up to
   * seqEnd; `ctl`: the control events (sb, sw, sd) sent before it.
   */
  | { k: 'r'; source: string; piece: number; seq0: number; seqEnd: number; split?: string; ctl: number; at: number; work: unknown }
  /** A parsed piece's news, from its owner to the host and every other subtask: each works out the deliveries (parallel/piece-order.ts). */
  | ({ k: 'm' } & PieceNews)
  /** A barrier at a source read in pieces, after piece `after` (to every subtask). */
  | { k: 'sb'; source: string; id: number; after: number }
  /** The final watermark of a source read in pieces, after piece `after` (to every subtask). */
  | { k: 'sw'; source: string; wm: number; after: number }
  /** A source read in pieces declares the splits it reads, after piece `after` (to every subtask). */
  | { k: 'sd'; source: string; ids: string[]; after: number }
  /** Records a node emitted on a port, for the embedder's tap (to the host, in order with the events). */
  | { k: 't'; node: string; port: string; records: Rec[] };

/** The destination of wire events: a subtask index, or HOST. */
export const HOST = -1;

/**
 * Collects the events a thread sends and posts them once per turn of its event loop, one
 * message per destination. `deliverSelf` takes events a subtask addresses to itself at
 * once (a hash exchange keeps a subtask's own keys on its thread).
 */
export class Outbox {
  private readonly pending = new Map<number, WireEvent[]>();
  private scheduled = false;
  /** Whether what waits holds a batch of records (another thread's merge may be waiting for it). */
  holdsRecords = false;

  constructor(
    private readonly post: (dest: number, events: WireEvent[]) => void,
    readonly self: number,
    private readonly deliverSelf: ((event: WireEvent) => MaybePromise) | null,
    /** Host only: a promise while the subtasks are too far behind (backpressure on the sources). */
    readonly gate: () => MaybePromise = () => undefined,
    /** True while a flush is sure to come soon (a subtask has pieces to parse, and flushes after a few: Subtask.afterParse): fewer messages. */
    private readonly flushComes: () => boolean = () => false,
  ) {}

  add(dest: number, event: WireEvent): MaybePromise {
    if (dest === this.self && this.deliverSelf) return this.deliverSelf(event);
    let list = this.pending.get(dest);
    if (!list) this.pending.set(dest, (list = []));
    list.push(event);
    if (event.k === 'b') this.holdsRecords = true;
    if (!this.scheduled && !this.flushComes()) {
      this.scheduled = true;
      queueMicrotask(() => { if (this.scheduled) this.flush(); });
    }
  }

  flush(): void {
    this.scheduled = false;
    this.holdsRecords = false;
    for (const [dest, events] of this.pending) if (events.length) this.post(dest, events);
    this.pending.clear();
  }
}

/**
 * The batch with each record cut down to `fields` (a field a record lacks stays absent);
 * `partials`: a pre-aggregator's output, whose partials (and records wrapped as they are) keep their marker.
 */
function projected(batch: Batch, fields: readonly string[], partials: boolean): Batch {
  return { ...batch, records: cutRecords(batch.records, fields, partials) };
}

/** Each record cut down to `fields` (a field a record lacks stays absent); `partials` as `projected`'s. */
export function cutRecords(records: Rec[], fields: readonly string[], partials = false): Rec[] {
  const out = new Array<Rec>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (partials && PARTIAL in r) { out[i] = r; continue; }
    const cut: Rec = {};
    for (let j = 0; j < fields.length; j++) {
      const v = r[fields[j]];
      if (v !== undefined) cut[fields[j]] = v;
    }
    out[i] = cut;
  }
  return out;
}

/**
 * One planned edge leaving one instance of its source node for other threads: it splits
 * batches by route and sends watermarks, idleness and barriers to every instance of the
 * target (each is one input channel there).
 */
export class ChannelOut implements Downstream {
  private next = 0;
  private progressed = -1;
  private readonly keyOf: ((r: Rec) => string) | null;
  private readonly targets: number[];
  private readonly combiner: PreAggregator | null;
  /** The furthest source position and watermark this channel has passed (where held partials leave). */
  private frontSeq = -Infinity;
  private frontWm = -Infinity;
  private lastArrival = 0;
  /** sendSplit's scratch: each record's subtask (parallelism ≤ 64). */
  private dests = new Uint8Array(0);

  constructor(
    private readonly planned: PlannedEdge,
    private readonly channel: number,
    private readonly parallelism: number,
    private readonly outbox: Outbox,
    schema: RecordSchema | undefined,
    /** Monotonic clock origin of this thread (batches carry absolute times between threads). */
    private readonly timeOrigin: number,
    /** The host numbers records in the order they leave the sources (one counter for the job). */
    private readonly sequencer: { next: number } | null = null,
    /** In a subtask: the last delivered piece's last source position (the plan's `holds`: where held partials may stand). */
    private readonly delivered: (() => number) | null = null,
  ) {
    this.keyOf = planned.key ? keyReader(planned.key, schema) : null;
    this.targets = planned.route === 'gather' ? [HOST] : Array.from({ length: parallelism }, (_, i) => i);
    this.combiner = planned.preAggregate ? preAggregatorFor(planned.preAggregate, planned.preAggregate.holds) : null;
  }

  private frontier(): Frontier {
    return { seq: Math.max(this.frontSeq, this.progressed), wm: this.frontWm };
  }

  /** Sends held partials, routed as the edge routes records. */
  private sendPartials(c: Combined | null): MaybePromise {
    return c ? this.route(c.batch, c.keys) : undefined;
  }

  private route(batch: Batch, keys: string[] | null): MaybePromise {
    if (!batch.records.length) return; // everything held (pre-aggregate.ts): nothing to send
    const route = this.planned.route;
    if (route === 'hash') return this.sendSplit(batch, keys);
    const dest = route === 'gather' ? HOST : route === 'single' ? 0 : this.next++ % this.parallelism;
    return this.send(dest, batch.records, batch.times, batch.wms, batch.arrivedAt, batch.seqs);
  }

  addInput(): number {
    return 0;
  }

  receive(input: Batch): MaybePromise {
    const numbered = this.numbered(input);
    let batch = numbered;
    let keys: string[] | null = null;
    let flushed: MaybePromise = undefined;
    if (this.combiner) {
      // Held partials cannot ride in a batch without source positions: they go first, on their own.
      if (!numbered.seqs && this.combiner.holding) flushed = this.sendPartials(this.combiner.flush(Infinity, this.frontier(), numbered.arrivedAt));
      ({ batch, keys } = this.combiner.combine(numbered, this.frontier()));
      this.lastArrival = numbered.arrivedAt;
      const n = numbered.records.length;
      if (numbered.seqs && n) {
        if (numbered.seqs[n - 1] > this.frontSeq) this.frontSeq = numbered.seqs[n - 1];
        if (numbered.wms[n - 1] > this.frontWm) this.frontWm = numbered.wms[n - 1];
      }
    }
    if (this.planned.project) batch = projected(batch, this.planned.project, this.combiner !== null);
    const sent = this.route(batch, keys) ?? flushed;
    // From the host: every subtask learns how far the sources have gone (the ones that got no record too).
    if (this.sequencer && numbered.seqs) this.progress(numbered.seqs[numbered.seqs.length - 1]);
    return sent;
  }

  /** On the host, records get their source positions as they leave for the subtasks. */
  private numbered(batch: Batch): Batch {
    if (!this.sequencer || batch.seqs) return batch;
    const seqs = new Array<number>(batch.records.length);
    for (let i = 0; i < seqs.length; i++) seqs[i] = this.sequencer.next++;
    return { ...batch, seqs };
  }

  /** Tells every target that this channel has delivered all it will up to source position `seq`. */
  progress(seq: number): void {
    if (seq <= this.progressed) return;
    this.progressed = seq;
    for (const dest of this.targets) this.outbox.add(dest, { k: 'p', e: this.planned.index, c: this.channel, seq });
  }

  /**
   * `keys`: each record's key string when the combiner has them (a partial has no key fields to read). One pass
   * finds each record's subtask and counts them; a batch all for one subtask goes as it is, else each part's
   * arrays are made at their size and filled in a second pass (q11: a Map of index lists and four maps over
   * them per part took ~6 % of a subtask).
   */
  private sendSplit(batch: Batch, keys: string[] | null): MaybePromise {
    const { records, times, wms, seqs } = batch;
    const n = records.length;
    const p = this.parallelism;
    if (this.dests.length < n) this.dests = new Uint8Array(Math.max(n, 2 * this.dests.length));
    const dests = this.dests;
    const counts = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const dest = subtaskOfKeyGroup(keyGroupOf(keys ? keys[i] : this.keyOf!(records[i])), p);
      dests[i] = dest;
      counts[dest]++;
    }
    for (let d = 0; d < p; d++) if (counts[d] === n) return this.send(d, records, times, wms, batch.arrivedAt, seqs);
    const parts = counts.map((c) => (c ? { records: new Array<Rec>(c), times: new Array<number>(c), wms: new Array<number>(c), seqs: seqs ? new Array<number>(c) : undefined, k: 0 } : null));
    for (let i = 0; i < n; i++) {
      const part = parts[dests[i]]!;
      const k = part.k++;
      part.records[k] = records[i];
      part.times[k] = times[i];
      part.wms[k] = wms[i];
      if (seqs) part.seqs![k] = seqs[i];
    }
    let result: MaybePromise = undefined;
    for (let d = 0; d < p; d++) {
      const part = parts[d];
      if (!part) continue;
      const sent = this.send(d, part.records, part.times, part.wms, batch.arrivedAt, part.seqs);
      result ??= sent;
    }
    return result;
  }

  private send(dest: number, records: Rec[], times: number[], wms: number[], arrivedAt: number, seqs?: number[]): MaybePromise {
    const r = this.outbox.add(dest, { k: 'b', e: this.planned.index, c: this.channel, records, times, wms, at: arrivedAt + this.timeOrigin, ...(seqs && { seqs }) });
    return r ?? this.outbox.gate();
  }

  receiveWatermark(wm: number): MaybePromise {
    // Held partials of the windows this watermark fires leave first, where the channel stood before it.
    const flushed = this.combiner?.holding ? this.sendPartials(this.combiner.flush(wm, this.frontier(), this.lastArrival)) : undefined;
    if (wm > this.frontWm) this.frontWm = wm;
    const delivered = this.delivered?.() ?? -Infinity;
    if (delivered > this.frontSeq) this.frontSeq = delivered;
    return allDone([flushed, this.broadcast((dest) => this.outbox.add(dest, { k: 'w', e: this.planned.index, c: this.channel, wm }))]);
  }

  receiveIdle(idle: boolean): MaybePromise {
    // An idle channel no longer holds the window's watermark back: nothing may stay held behind it.
    const flushed = idle ? this.flushHeld() : undefined;
    return allDone([flushed, this.broadcast((dest) => this.outbox.add(dest, { k: 'i', e: this.planned.index, c: this.channel, idle }))]);
  }

  receiveBarrier(id: number): MaybePromise {
    // A checkpoint holds what precedes its barrier in the window's state, not in a sender's buffer.
    const flushed = this.flushHeld();
    return allDone([flushed, this.broadcast((dest) => this.outbox.add(dest, { k: 'x', e: this.planned.index, c: this.channel, id }))]);
  }

  private flushHeld(): MaybePromise {
    return this.combiner?.holding ? this.sendPartials(this.combiner.flush(Infinity, this.frontier(), this.lastArrival)) : undefined;
  }

  private broadcast(send: (dest: number) => MaybePromise): MaybePromise {
    const results: MaybePromise[] = [];
    for (const dest of this.targets) results.push(send(dest));
    return allDone(results);
  }
}

/** A source on the host tells the subtasks its watermark (the caps of multi-input nodes read it). */
export class SourceMirrorOut implements Downstream {
  private wm = -Infinity;
  private idle = false;
  constructor(private readonly source: string, private readonly parallelism: number, private readonly outbox: Outbox) {}
  addInput(): number { return 0; }
  receive(): MaybePromise { return undefined; }
  receiveBarrier(): MaybePromise { return undefined; }
  receiveWatermark(wm: number): MaybePromise {
    this.wm = wm;
    return this.tell();
  }
  receiveIdle(idle: boolean): MaybePromise {
    this.idle = idle;
    return this.tell();
  }
  private tell(): MaybePromise {
    for (let i = 0; i < this.parallelism; i++) this.outbox.add(i, { k: 's', source: this.source, wm: this.wm, idle: this.idle });
  }
}

/** Turns a wire batch back into a batch on the receiving thread's clock. */
export const batchOf = (ev: Extract<WireEvent, { k: 'b' }>, timeOrigin: number): Batch =>
  (ev.seqs ? { records: ev.records, times: ev.times, wms: ev.wms, arrivedAt: ev.at - timeOrigin, seqs: ev.seqs }
    : { records: ev.records, times: ev.times, wms: ev.wms, arrivedAt: ev.at - timeOrigin });
