import type { PipelineSettings } from '@eddy/shared';
import { nodeFailure } from './node-error.js';
import { END_OF_TIME, type Batch, type Rec } from './batch.js';
import type { SourceConnector, SourceOutput } from './source.js';
import type { SourceSnapshot } from '../checkpoint/types.js';
import type { NodeRuntime } from './node-runtime.js';
import { andThen, isPromise, type Mailbox, type MaybePromise } from './async.js';
import { makeTimestampExtractor } from '../time/event-time.js';
import { SplitWatermarks } from '../time/split-watermarks.js';
import { withoutDeepRecords } from './record-depth.js';

/** Microbatch mode flushes early past this many records, so a fast source cannot grow a batch without bound. */
const MAX_MICROBATCH = 65_536;
/**
 * A micro-batch moves through the graph in slices of about this many records (one mailbox
 * task, one watermark at the end): the same rows as one big array, without its cost in
 * copying and garbage collection.
 */
const MICROBATCH_SLICE = 4096;

/** Merges consecutive buffered batches into slices of at least MICROBATCH_SLICE records. */
function groupParts(parts: Batch[]): Batch[] {
  const out: Batch[] = [];
  let group: Batch[] = [];
  let n = 0;
  const close = () => {
    if (!group.length) return;
    const first = group[0];
    out.push(group.length === 1 ? first : {
      records: first.records.concat(...group.slice(1).map((p) => p.records)),
      times: first.times.concat(...group.slice(1).map((p) => p.times)),
      wms: first.wms.concat(...group.slice(1).map((p) => p.wms)),
      arrivedAt: first.arrivedAt,
    });
    group = [];
    n = 0;
  };
  for (const p of parts) {
    group.push(p);
    n += p.records.length;
    if (n >= MICROBATCH_SLICE) close();
  }
  close();
  return out;
}

/**
 * Drives one source: stamps event time, tracks its watermark per record, and hands
 * records to the graph at once (native) or every `batchIntervalMs` (microbatch).
 */
export class SourceDriver implements SourceOutput {
  private readonly tracker: SplitWatermarks;
  private readonly extract: ((r: Rec) => number) | undefined;
  /** Microbatch mode: the batches collected since the last flush (merged once, at flush). */
  private buffer: Batch[] = [];
  private buffered = 0;
  private flushTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private idle = false;
  /** Offset and tracker state of the records delivered into the graph so far (what a checkpoint keeps). */
  private delivered: SourceSnapshot;
  /** Microbatch: offset and tracker state after the last buffered batch. */
  private bufferedUpTo: SourceSnapshot | null = null;

  constructor(
    private readonly node: NodeRuntime,
    private readonly source: SourceConnector,
    private readonly settings: PipelineSettings,
    private readonly mailbox: Mailbox,
    private readonly clock: () => number,
    private readonly wallClock: () => number,
    private readonly onDeadLetter: (record: unknown, reason: string) => void,
    private readonly onFailure: (err: unknown) => void,
    /** At-most-once: acknowledges a batch's position before it enters the graph. */
    private readonly ack?: (upTo: SourceSnapshot) => Promise<void>,
  ) {
    const et = source.eventTime;
    this.tracker = new SplitWatermarks(et?.maxOutOfOrdernessMs ?? 0, et?.idleTimeoutMs, clock);
    this.extract = et ? makeTimestampExtractor(et.field) : undefined;
    this.delivered = { position: source.checkpointPosition?.(), maxEventTime: -Infinity };
  }

  /** The source's part of a checkpoint: where to resume, and the watermark tracker's state. */
  snapshot(): SourceSnapshot {
    return this.delivered;
  }

  /** Before `run`: resume after the records of a checkpoint. */
  restore(snapshot: SourceSnapshot): void {
    if (snapshot.position !== undefined) this.source.restorePosition?.(snapshot.position);
    this.tracker.restore(snapshot.maxEventTime, snapshot.splits);
    this.delivered = snapshot;
  }

  /** A source that reports no offset cannot replay: exactly-once needs one that can. */
  get replayable(): boolean {
    return typeof this.source.checkpointPosition === 'function';
  }

  /** Runs the source to its end; emits the final watermark only when the input is exhausted. */
  async run(signal: AbortSignal): Promise<void> {
    this.armIdleTimer();
    try {
      await this.source.run(this, signal);
    } catch (err) {
      throw nodeFailure(err, this.node.kind, this.node.id);
    } finally {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.flushTimer = this.idleTimer = null;
    }
    if (signal.aborted) return;
    await this.flush();
    await this.mailbox.run(() => andThen(this.node.receiveWatermark(END_OF_TIME, -1), () => this.node.drainGraph()));
  }

  splits(ids: string[]): void {
    this.tracker.declare(ids);
  }

  push(input: Rec[], createdAt?: number, split?: string): MaybePromise {
    if (input.length === 0) return;
    // One clock reading per batch, for its split's idleness and its arrival time.
    const now = this.clock();
    this.tracker.select(split, now);
    // Before anything walks a record recursively (socket.io's encoder, sinks): too deep is a dead letter.
    const records = withoutDeepRecords(input, this.onDeadLetter);
    const n = records.length;
    this.armIdleTimer();
    const arrivedAt = createdAt ?? now;
    const times = new Array<number>(n);
    const wms = new Array<number>(n);
    const tracker = this.tracker;
    let kept = records;
    if (this.extract) {
      let bad: number[] | undefined;
      for (let i = 0; i < n; i++) {
        let ts: number;
        try {
          ts = this.extract(records[i]);
        } catch (err) {
          (bad ??= []).push(i);
          this.onDeadLetter(records[i], (err as Error).message);
          continue;
        }
        wms[i] = tracker.current;
        times[i] = ts;
        tracker.observe(ts);
      }
      if (bad) {
        const skip = new Set(bad);
        kept = records.filter((_r, i) => !skip.has(i));
        const keptTimes = times.filter((_t, i) => !skip.has(i));
        const keptWms = wms.filter((_w, i) => !skip.has(i));
        return this.accept({ records: kept, times: keptTimes, wms: keptWms, arrivedAt }, this.upTo());
      }
    } else {
      // Ingestion time: records are in order by construction.
      const now = this.wallClock();
      for (let i = 0; i < n; i++) {
        wms[i] = tracker.current;
        times[i] = now;
        tracker.observe(now);
      }
    }
    return this.accept({ records: kept, times, wms, arrivedAt }, this.upTo());
  }

  private upTo(): SourceSnapshot {
    const splits = this.tracker.snapshot();
    return { position: this.source.checkpointPosition?.(), maxEventTime: this.tracker.maxEventTime, ...(splits && { splits }) };
  }

  deadLetter(raw: unknown, reason: string): void {
    this.onDeadLetter(raw, reason);
  }

  private accept(batch: Batch, upTo: SourceSnapshot): MaybePromise {
    if (batch.records.length === 0) {
      // Only bad records: nothing enters the graph, but the offset moves on past them.
      if (this.settings.mode === 'native' || !this.buffer.length) return this.mailbox.run(() => { this.delivered = upTo; });
      this.bufferedUpTo = upTo;
      return;
    }
    if (this.settings.mode === 'native') return this.deliver([batch], upTo);
    if (!this.buffer.length) {
      // A slow source's partial batch still leaves on time.
      this.flushTimer = setTimeout(() => {
        Promise.resolve().then(() => this.flush()).catch(this.onFailure);
      }, this.settings.batchIntervalMs);
    }
    this.buffer.push(batch);
    this.bufferedUpTo = upTo;
    this.buffered += batch.records.length;
    if (this.buffered >= MAX_MICROBATCH || this.clock() - this.buffer[0].arrivedAt >= this.settings.batchIntervalMs) return this.flush();
  }

  private flush(): MaybePromise {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const parts = this.buffer;
    if (!parts.length) return;
    const upTo = this.bufferedUpTo!;
    this.buffer = [];
    this.bufferedUpTo = null;
    this.buffered = 0;
    return this.deliver(groupParts(parts), upTo);
  }

  get nodeId(): string {
    return this.node.id;
  }

  private deliver(batches: Batch[], upTo: SourceSnapshot): MaybePromise {
    if (this.ack) return this.ack(upTo).then(() => this.enter(batches, upTo));
    return this.enter(batches, upTo);
  }

  /** Hands batches to the graph in one mailbox task (a micro-batch is atomic), then the watermark. */
  private enter(batches: Batch[], upTo: SourceSnapshot): MaybePromise {
    const wm = this.tracker.current;
    const wasIdle = this.idle;
    this.idle = false;
    const metrics = this.node.metrics;
    const delivered = this.mailbox.run(() => {
      this.delivered = upTo;
      let chain: MaybePromise = wasIdle ? this.node.receiveIdle(false, -1) : undefined;
      for (const batch of batches) chain = andThen(chain, () => this.node.emitFromSource(batch));
      chain = andThen(chain, () => this.node.receiveWatermark(wm, -1));
      return andThen(chain, () => this.node.drainGraph());
    });
    if (!isPromise(delivered)) return;
    // The source waits: on the graph (a slow operator or sink) or behind another source's batch.
    metrics.blockedFrom(this.clock());
    return delivered.finally(() => metrics.unblocked(this.clock()));
  }

  /** After `idleTimeout` without records the source is idle and stops holding back the watermark. */
  private armIdleTimer(): void {
    const timeout = this.source.eventTime?.idleTimeoutMs;
    if (!timeout) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idle = true;
      Promise.resolve().then(() => this.mailbox.run(() => andThen(this.node.receiveIdle(true, -1), () => this.node.drainGraph()))).catch(this.onFailure);
    }, timeout);
  }
}
