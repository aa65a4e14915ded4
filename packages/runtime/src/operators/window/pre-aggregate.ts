import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import { makeKeyExtractor } from '../../core/keys.js';
import { accumulate, initAccumulator, makeAggregateSpecs, type AggregateSpec } from './aggregates.js';
import { lastWindowStart } from './window-shape.js';

/**
 * The field that marks a partial aggregate on an edge the plan pre-aggregates. A record that
 * carries it already (any JSON can) is wrapped, so the window never mistakes input for a partial.
 */
export const PARTIAL = '\u0000eddy.partial';

/** A partial: the accumulators of one window and key over some records; or a wrapped record. */
export type PartialMark = PartialAggregate | { raw: Rec };
/** `n`: the records it stands for in the window's figures (each counted once, in its first window). */
export interface PartialAggregate { start: number; key: unknown[]; accs: unknown[]; n: number }

/** Batches in a row that did not shrink enough before combining pauses, and for how many batches. */
const MISSES_BEFORE_SKIP = 4;
const BATCHES_SKIPPED = 64;
/**
 * Combining moves each record's accumulation from the window to the sender; it pays only by what
 * it keeps from crossing threads, so a batch must shrink to a quarter (partials and records left
 * as they are) not to count as a miss. Measured at parallelism 2: q5's auctions shrank ~2.4× when
 * combined and ran 16 % slower than sending the bids as records (cut to the auction); ysb's
 * campaigns shrink ~9×.
 */
const MIN_SHRINK = 4;

/** `due`: the watermark at which the window fires; `last`: its last record's index in this batch (-1: held from before). */
interface Group { start: number; due: number; key: unknown[]; ks: string; accs: unknown[]; n: number; last: number; time: number; nextAtLast: Group | null }

/** Where partials flushed between records stand: after everything the channel sent or promised (`seq`), at its watermark. */
export interface Frontier { seq: number; wm: number }
const NOWHERE: Frontier = { seq: -Infinity, wm: -Infinity };

/** Partials to send (with their key strings, for routing). */
export interface Combined { batch: Batch; keys: string[] | null }

/**
 * Flink's local aggregation, on the sending side of a window's exchange: records of one window
 * and key become one partial, placed where the last of them stood (its source position and
 * watermark), so the window meets it exactly when it would have met that record and ends with
 * the accumulator the records give. A record goes as it is whenever combining could change an
 * answer: late for every window (the `late` port gets it), past its window's end with emit
 * updates (each such record fires a row), a min/max value that is not a finite number (text
 * could be refused: the dead letter carries the record) or is 0 (±0 ties keep arrival order).
 * Which aggregates combine at all: the catalog's PRE_AGGREGATE_FNS.
 *
 * `holds`: a partial of a window that has not fired is kept across batches (as Flink's
 * mini-batch keeps its buffer) and leaves only when the window is due: before the first record
 * whose watermark fires it (`combine`), or when the channel learns the watermark moved that far
 * (`flush`) — only a sender that learns every watermark of its records' source order may hold
 * (parallel/wire.ts). Such a partial stands just after what the channel has sent (`Frontier`):
 * the records it stands for were all on time there, and nothing that fires the window is before it.
 */
export class WindowPreAggregator {
  private readonly size: number;
  private readonly slide: number;
  private readonly lateness: number;
  private readonly updates: boolean;
  private readonly aggs: AggregateSpec[];
  private readonly key: ReturnType<typeof makeKeyExtractor>;
  private readonly starts: number[] = [];
  private misses = 0;
  private skip = 0;
  private readonly values: unknown[] = [];
  /** Open groups by window start and key: this batch's, and (holding) those kept from before. */
  private readonly open = new Map<number, Map<string, Group>>();
  private minDue = Infinity;

  constructor(params: ParamsOf<'window'>, private readonly holds = false) {
    this.size = parseDuration(params.size!);
    this.slide = params.type === 'sliding' ? parseDuration(params.slide!) : this.size;
    this.lateness = parseDuration(params.allowedLateness);
    this.updates = params.emit === 'updates' && this.lateness > 0;
    this.aggs = makeAggregateSpecs(params.aggregates);
    this.key = makeKeyExtractor(params.keyBy);
  }

  /** True while partials are kept for later. */
  get holding(): boolean {
    return this.open.size > 0;
  }

  /**
   * The batch to send instead (partials and the records kept as they are, in source order)
   * and each of its records' key string, for routing. Only records with source positions are
   * combined: without them (after a stateful node) the window's merge orders by watermark, and
   * a record's own watermark no longer says how the window will judge it. `at`: the channel's
   * frontier before this batch (holding only).
   */
  combine(batch: Batch, at: Frontier = NOWHERE): Combined {
    const { records, times, wms, seqs } = batch;
    const n = records.length;
    // Batches that did not shrink (as many windows and keys as records: q5's auctions) were
    // combined for nothing: send the next ones as they are for a while, then try again. Nor is
    // a batch without source positions combined. Either way only a forged marker needs work.
    const paused = this.skip > 0;
    if (paused) this.skip--;
    if ((paused || !seqs) && !this.holding && !records.some((r) => PARTIAL in r)) return { batch, keys: null };
    const keys = new Array<string>(n);
    const raw = new Uint8Array(n);
    const closing: (Group | null)[] = new Array<Group | null>(n).fill(null);
    const before: Group[][] = [];
    const touched: Group[] = [];
    let created = 0;
    let last: Group | null = null;
    let lastKey = '';
    // Paused: what is held leaves first, and the records go as they are.
    if (paused && seqs && n) this.closeDue(Infinity, 0, before);
    for (let i = 0; i < n; i++) {
      const r = records[i];
      const ks = (keys[i] = this.key.stringOf(r));
      if (!seqs) { raw[i] = 1; continue; }
      if (wms[i] >= this.minDue) { this.closeDue(wms[i], i, before); last = null; }
      if (paused || PARTIAL in r || !this.readValues(r) || !this.liveWindows(times[i], wms[i])) { raw[i] = 1; continue; }
      for (let w = 0; w < this.starts.length; w++) {
        const start = this.starts[w];
        // Runs of one window and key (a keyless window, a hot key) skip the lookups.
        let g: Group | undefined = last !== null && last.start === start && lastKey === ks ? last : undefined;
        if (!g) {
          let byKey = this.open.get(start);
          if (!byKey) {
            this.open.set(start, (byKey = new Map()));
            if (this.dueOf(start) < this.minDue) this.minDue = this.dueOf(start);
          }
          g = byKey.get(ks);
          if (!g) {
            byKey.set(ks, (g = { start, due: this.dueOf(start), key: this.key.values(r), ks, accs: this.aggs.map((a) => initAccumulator(a.fn)), n: 0, last: -1, time: 0, nextAtLast: null }));
            created++;
          }
        }
        if (g.last >= 0) this.unlink(g, closing); // it closes here now, not where it was last touched
        else touched.push(g);
        for (let j = 0; j < this.aggs.length; j++) g.accs[j] = accumulate(this.aggs[j].fn, g.accs[j], this.values[j], times[i]);
        if (w === 0) g.n++;
        g.last = i;
        g.time = times[i];
        g.nextAtLast = closing[i];
        closing[i] = g;
        last = g;
        lastKey = ks;
      }
    }
    let rawCount = 0;
    for (let i = 0; i < n; i++) rawCount += raw[i];
    if (this.holds) {
      // Groups whose window has not fired by the batch's end stay open for the next batches.
      const wmEnd = n ? wms[n - 1] : -Infinity;
      for (const g of touched) if (g.due > wmEnd) { this.unlink(g, closing); g.last = -1; }
    } else {
      this.open.clear();
      this.minDue = Infinity;
    }
    if (seqs && !paused) {
      const crossing = rawCount + created;
      if (crossing * MIN_SHRINK > n) {
        if (++this.misses >= MISSES_BEFORE_SKIP) { this.skip = BATCHES_SKIPPED; this.misses = 0; }
        // Not shrunk at all: the batch goes as it is (held groups stay held).
        if (crossing >= n && !this.holds && !records.some((r) => PARTIAL in r)) return { batch, keys };
      } else this.misses = 0;
    }
    const out: Batch = { records: [], times: [], wms: [], arrivedAt: batch.arrivedAt, ...(seqs && { seqs: [] }) };
    const outKeys: string[] = [];
    for (let i = 0; i < n; i++) {
      const early = before[i];
      if (early) {
        // Held partials whose window record i fires: just before it, at the watermark before it.
        const lo = Math.max(at.seq, i > 0 ? seqs![i - 1] : -Infinity);
        const seq = lo < seqs![i] - 0.5 ? seqs![i] - 0.5 : (lo + seqs![i]) / 2;
        const wm = Math.max(at.wm, i > 0 ? wms[i - 1] : -Infinity);
        for (const g of early) { push(out, partialOf(g), g.time, wm, seq); outKeys.push(g.ks); }
      }
      if (raw[i]) {
        const r = records[i];
        push(out, PARTIAL in r ? { [PARTIAL]: { raw: r } } : r, times[i], wms[i], seqs?.[i]);
        outKeys.push(keys[i]);
      }
      // Groups closing here, in the order they were last touched (reversed list: put back in order;
      // most records close none, and then no list is made).
      if (closing[i] === null) continue;
      const here: Group[] = [];
      for (let g = closing[i]; g; g = g.nextAtLast) here.push(g);
      for (let k = here.length - 1; k >= 0; k--) {
        const g = here[k];
        push(out, partialOf(g), times[i], wms[i], seqs![i]);
        outKeys.push(keys[i]);
      }
    }
    return { batch: out, keys: outKeys };
  }

  /** The held partials whose window fires at watermark `wm` (Infinity: every one), at `at`; null when none. */
  flush(wm: number, at: Frontier, arrivedAt: number): Combined | null {
    if (wm < this.minDue) return null;
    const due: Group[][] = [];
    this.closeDue(wm, 0, due);
    const groups = due[0] ?? [];
    if (!groups.length) return null;
    const out: Batch = { records: [], times: [], wms: [], arrivedAt, seqs: [] };
    for (const g of groups) push(out, partialOf(g), g.time, at.wm, at.seq + 0.5);
    return { batch: out, keys: groups.map((g) => g.ks) };
  }

  /** Closes every window due at `wm`: held groups (not touched in this batch) go to `before[i]`; the others close where their last record stands. */
  private closeDue(wm: number, i: number, before: Group[][]): void {
    let min = Infinity;
    for (const [start, byKey] of this.open) {
      const due = this.dueOf(start);
      if (due > wm) { if (due < min) min = due; continue; }
      for (const g of byKey.values()) if (g.last < 0) (before[i] ??= []).push(g);
      this.open.delete(start);
    }
    this.minDue = min;
  }

  /** The watermark at which a window of `start` fires (emit final: its end plus the lateness; updates: its end). */
  private dueOf(start: number): number {
    return start + this.size - 1 + (this.updates ? 0 : this.lateness);
  }

  /** Reads the aggregates' values into `values`; false when one must go as a record. */
  private readValues(r: Rec): boolean {
    for (let j = 0; j < this.aggs.length; j++) {
      const { fn, read } = this.aggs[j];
      const v = (this.values[j] = read(r));
      if (v === null || v === undefined || fn === 'count') continue;
      // min/max: finite numbers; not 0, whose sign a tie with -0 would keep by arrival order.
      if (typeof v !== 'number' || !Number.isFinite(v) || v === 0) return false;
    }
    return true;
  }

  /** Fills `starts` with the record's windows still open at its watermark; false when it must go as a record. */
  private liveWindows(ts: number, wm: number): boolean {
    const starts = this.starts;
    starts.length = 0;
    for (let start = lastWindowStart(ts, this.slide); start > ts - this.size; start -= this.slide) {
      const end = start + this.size;
      if (end - 1 + this.lateness <= wm) continue; // cleaned up: not in this window (as the operator judges it)
      if (this.updates && end - 1 <= wm) return false; // fires a row of its own
      starts.push(start);
    }
    return starts.length > 0;
  }

  /** Takes a group out of the closing list of its current last record (it closes later now). */
  private unlink(g: Group, closing: (Group | null)[]): void {
    let prev: Group | null = null;
    for (let at = closing[g.last]; at; prev = at, at = at.nextAtLast) {
      if (at !== g) continue;
      if (prev) prev.nextAtLast = g.nextAtLast;
      else closing[g.last] = g.nextAtLast;
      g.nextAtLast = null;
      return;
    }
  }
}

const partialOf = (g: Group): Rec => ({ [PARTIAL]: { start: g.start, key: g.key, accs: g.accs, n: g.n } satisfies PartialMark });

function push(b: Batch, r: Rec, time: number, wm: number, seq: number | undefined): void {
  b.records.push(r);
  b.times.push(time);
  b.wms.push(wm);
  b.seqs?.push(seq!);
}
