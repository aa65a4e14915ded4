import { compileExpression, ExpressionRuntimeError, parseDuration } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { OperatorContext } from '../../core/operator.js';
import type { FiredTimer } from '../../core/timer-service.js';
import { keyString } from '../../core/keys.js';
import type { KeyedMap } from '../../state/keyed-state.js';
import { QualityStats } from './shadow-stats.js';

/** A scored record waiting for its label: event time, champion's and challenger's score (null: NULL or none). */
type Pending = [time: number, champion: number | null, challenger: number | null];

/** Scored records one key keeps at most while they wait (the oldest go first): state stays bounded for a hot key. */
export const MAX_PENDING_PER_KEY = 1000;

/**
 * Joins labels to scored records by key in event time: a scored record of time t waits in
 * keyed state until a label of its key with time in [t, t + within] arrives (then both
 * models are judged on it) or the watermark passes t + within (an event-time timer: it is
 * forgotten unlabelled). A label that finds nothing waiting (late, early, unknown key) is ignored.
 */
export class LabelJoin {
  private readonly keyOf: { in: (r: Rec) => unknown; labels: (r: Rec) => unknown };
  private readonly within: number;
  private pending!: KeyedMap<Pending[]>;
  readonly champion = new QualityStats();
  readonly challenger = new QualityStats();
  labelled = 0;

  constructor(private readonly label: { field: string; key: string; within: string }, private readonly ctx: OperatorContext) {
    const labels = ctx.inputSchemas.labels;
    if (!labels) throw new Error('`label` needs the `labels` input connected');
    this.keyOf = { in: compileExpression(label.key, ctx.inputSchemas.in), labels: compileExpression(label.key, labels) };
    this.within = parseDuration(label.within);
  }

  open(): void {
    this.pending = this.ctx.state.map<Pending[]>('pending-labels');
  }

  /** Scored records (batch rows `kept`, scores by row) start waiting for their labels. */
  track(batch: Batch, kept: number[], champion: Float64Array, challenger: Float64Array | null): void {
    const timers = this.ctx.timers;
    kept.forEach((i, row) => {
      timers.atRecord(batch.wms[i]);
      const k = this.key('in', batch.records[i]);
      if (k === null) return;
      const t = batch.times[i];
      const list = this.pending.get(k) ?? [];
      list.push([t, num(champion[row]), challenger ? num(challenger[row]) : null]);
      if (list.length > MAX_PENDING_PER_KEY) list.shift();
      this.pending.set(k, list);
      timers.registerEventTimer(t + this.within, k);
    });
  }

  /** Labels arrive: each judges the records of its key that wait for it. */
  onLabels(batch: Batch): void {
    const timers = this.ctx.timers;
    batch.records.forEach((r, i) => {
      timers.atRecord(batch.wms[i]);
      const y = labelValue(r[this.label.field]);
      if (y === null) { this.ctx.deadLetter(r, `score: label '${this.label.field}' is ${JSON.stringify(r[this.label.field])}, not 0 or 1`); return; }
      const k = this.key('labels', r);
      if (k === null) return;
      const list = this.pending.get(k);
      if (!list) return;
      const t = batch.times[i];
      const waiting = list.filter((p) => !(p[0] <= t && t <= p[0] + this.within));
      for (const p of list) {
        if (!(p[0] <= t && t <= p[0] + this.within)) continue;
        this.labelled++;
        if (p[1] !== null) this.champion.add(p[1], y);
        if (p[2] !== null) this.challenger.add(p[2], y);
      }
      if (waiting.length) this.pending.set(k, waiting); else this.pending.delete(k);
    });
  }

  /** Records whose time for a label has passed are forgotten. */
  onTimer(timer: FiredTimer): void {
    const list = this.pending.get(timer.key);
    if (!list) return;
    const left = list.filter((p) => p[0] + this.within > timer.time);
    if (left.length) this.pending.set(timer.key, left); else this.pending.delete(timer.key);
  }

  private key(port: 'in' | 'labels', r: Rec): string | null {
    try {
      const v = this.keyOf[port](r);
      return v === null || v === undefined ? null : keyString(v);
    } catch (err) {
      if (!(err instanceof ExpressionRuntimeError)) throw err;
      if (port === 'labels') this.ctx.deadLetter(r, `score: label key: ${err.message}`);
      return null;
    }
  }
}

const num = (v: number): number | null => (Number.isNaN(v) ? null : v);

function labelValue(v: unknown): 0 | 1 | null {
  if (v === 1 || v === true) return 1;
  if (v === 0 || v === false) return 0;
  return null;
}
