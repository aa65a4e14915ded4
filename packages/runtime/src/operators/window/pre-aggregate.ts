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

/** Batches in a row that did not shrink before combining pauses, and for how many batches. */
const MISSES_BEFORE_SKIP = 4;
const BATCHES_SKIPPED = 64;

interface Group { start: number; key: unknown[]; accs: unknown[]; n: number; last: number; nextAtLast: Group | null }

/**
 * Flink's local aggregation, on the sending side of a window's exchange: a batch's records of
 * one window and key become one partial, placed where the last of them stood (its source
 * position and watermark), so the window meets it exactly when it would have met that record
 * and ends with the accumulator the records give. A record goes as it is whenever combining
 * could change an answer: late for every window (the `late` port gets it), past its window's
 * end with emit updates (each such record fires a row), a min/max value that is not a finite
 * number (text could be refused: the dead letter carries the record) or is 0 (±0 ties keep
 * arrival order). Which aggregates combine at all: the catalog's PRE_AGGREGATE_FNS.
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

  constructor(params: ParamsOf<'window'>) {
    this.size = parseDuration(params.size!);
    this.slide = params.type === 'sliding' ? parseDuration(params.slide!) : this.size;
    this.lateness = parseDuration(params.allowedLateness);
    this.updates = params.emit === 'updates' && this.lateness > 0;
    this.aggs = makeAggregateSpecs(params.aggregates);
    this.key = makeKeyExtractor(params.keyBy);
  }

  /**
   * The batch to send instead (partials and the records kept as they are, in source order)
   * and each of its records' key string, for routing. Only records with source positions are
   * combined: without them (after a stateful node) the window's merge orders by watermark, and
   * a record's own watermark no longer says how the window will judge it.
   */
  combine(batch: Batch): { batch: Batch; keys: string[] | null } {
    const { records, times, wms, seqs } = batch;
    const n = records.length;
    // Batches that did not shrink (as many windows and keys as records: q5's auctions) were
    // combined for nothing: send the next ones as they are for a while, then try again. Nor is
    // a batch without source positions combined. Either way only a forged marker needs work.
    const paused = this.skip > 0;
    if (paused) this.skip--;
    if ((paused || !seqs) && !records.some((r) => PARTIAL in r)) return { batch, keys: null };
    const keys = new Array<string>(n);
    const raw = new Uint8Array(n);
    const closing: (Group | null)[] = new Array<Group | null>(n).fill(null);
    const byStart = new Map<number, Map<string, Group>>();
    let groups = 0;
    let last: Group | null = null;
    let lastKey = '';
    for (let i = 0; i < n; i++) {
      const r = records[i];
      const ks = (keys[i] = this.key.stringOf(r));
      if (!seqs || PARTIAL in r || !this.readValues(r) || !this.liveWindows(times[i], wms[i])) { raw[i] = 1; continue; }
      for (let w = 0; w < this.starts.length; w++) {
        const start = this.starts[w];
        // Runs of one window and key (a keyless window, a hot key) skip the lookups.
        let g: Group | undefined = last !== null && last.start === start && lastKey === ks ? last : undefined;
        if (!g) {
          let byKey = byStart.get(start);
          if (!byKey) byStart.set(start, (byKey = new Map()));
          g = byKey.get(ks);
          if (!g) {
            byKey.set(ks, (g = { start, key: this.key.values(r), accs: this.aggs.map((a) => initAccumulator(a.fn)), n: 0, last: -1, nextAtLast: null }));
            groups++;
          }
        }
        if (g.last >= 0) this.unlink(g, closing); // it closes here now, not where it was last touched
        for (let j = 0; j < this.aggs.length; j++) g.accs[j] = accumulate(this.aggs[j].fn, g.accs[j], this.values[j], times[i]);
        if (w === 0) g.n++;
        g.last = i;
        g.nextAtLast = closing[i];
        closing[i] = g;
        last = g;
        lastKey = ks;
      }
    }
    let rawCount = 0;
    for (let i = 0; i < n; i++) rawCount += raw[i];
    if (rawCount + groups >= n) {
      if (++this.misses >= MISSES_BEFORE_SKIP) { this.skip = BATCHES_SKIPPED; this.misses = 0; }
      if (!records.some((r) => PARTIAL in r)) return { batch, keys };
    } else this.misses = 0;
    const out: Batch = { records: [], times: [], wms: [], arrivedAt: batch.arrivedAt, ...(seqs && { seqs: [] }) };
    const outKeys: string[] = [];
    for (let i = 0; i < n; i++) {
      if (raw[i]) {
        const r = records[i];
        push(out, PARTIAL in r ? { [PARTIAL]: { raw: r } } : r, times[i], wms[i], seqs?.[i]);
        outKeys.push(keys[i]);
      }
      // Groups closing here, in the order they were last touched (reversed list: put back in order).
      const here: Group[] = [];
      for (let g = closing[i]; g; g = g.nextAtLast) here.push(g);
      for (let k = here.length - 1; k >= 0; k--) {
        const g = here[k];
        push(out, { [PARTIAL]: { start: g.start, key: g.key, accs: g.accs, n: g.n } satisfies PartialMark }, times[i], wms[i], seqs![i]);
        outKeys.push(keys[i]);
      }
    }
    return { batch: out, keys: outKeys };
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

function push(b: Batch, r: Rec, time: number, wm: number, seq: number | undefined): void {
  b.records.push(r);
  b.times.push(time);
  b.wms.push(wm);
  b.seqs?.push(seq!);
}
