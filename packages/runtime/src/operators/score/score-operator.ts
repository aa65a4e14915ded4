import { readFileSync } from 'node:fs';
import { challengerField, compileExpression, ExpressionRuntimeError, isProbabilityModel, type ModelMetrics, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../../core/batch.js';
import type { CheckpointBarrier, Operator, OperatorContext } from '../../core/operator.js';
import { copyRecord, setField } from '../../core/set-field.js';
import type { FiredTimer } from '../../core/timer-service.js';
import { isPromise } from '../../core/async.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';
import type { OnnxScores } from './onnx-model.js';
import { openScorer, runBoth, type Scorer } from './scorer.js';
import { agreementRule, ShadowStats } from './shadow-stats.js';
import { LabelJoin } from './label-join.js';
import { DriftMonitor, parseReference, type Reference } from './drift.js';

/** What the node keeps outside keyed state across a savepoint: the drift reference it captured. */
interface ScoreSnapshot { drift?: { columns: string[]; reference: Reference } }

/**
 * Computes features per record, scores the whole batch at once, writes the score (and class).
 * With a challenger both models score each batch; only the champion's records go to `out`,
 * both scores to `shadow` and to the model metrics. Labels (keyed, event time) judge both;
 * drift compares live histograms with a reference.
 */
export class ScoreOperator implements Operator {
  private readonly features: ((r: Rec) => unknown)[];
  private champion: Scorer | null = null;
  private challenger: Scorer | null = null;
  private readonly shadow: ShadowStats | null;
  private readonly labels: LabelJoin | null;
  private drift: DriftMonitor | null = null;
  private readonly driftColumns: string[];

  constructor(private readonly params: ParamsOf<'score'>, private readonly ctx: OperatorContext) {
    this.features = params.features.map((f) => compileExpression(f.expr, ctx.inputSchemas.in));
    const byClass = isProbabilityModel(params.model) || params.classOutput !== undefined;
    this.shadow = params.challenger ? new ShadowStats(agreementRule(byClass, params.threshold, params.tolerance ?? 0.01)) : null;
    if (!params.label && ctx.inputSchemas.labels) throw new Error('the `labels` input needs `label` (field, key, within)');
    this.labels = params.label ? new LabelJoin(params.label, ctx) : null;
    this.driftColumns = [...params.features.map((f) => f.name), params.output];
  }

  async open(): Promise<void> {
    const names = this.params.features.map((f) => f.name);
    this.champion = await openScorer(this.params.model, names, this.ctx);
    if (this.params.challenger) this.challenger = await openScorer(this.params.challenger, names, this.ctx);
    this.labels?.open();
    const { drift } = this.params;
    if (drift) {
      const restored = (this.ctx.restored as ScoreSnapshot | undefined)?.drift;
      let reference: Reference | null = null;
      if (typeof drift.reference === 'object') {
        const file = requireAllowedFile(drift.reference.path, { baseDir: this.ctx.baseDir, roots: this.ctx.fileRoots ?? [] });
        try {
          reference = parseReference(JSON.parse(readFileSync(file, 'utf8')));
        } catch (err) {
          throw new Error(`The drift reference ${drift.reference.path}: ${(err as Error).message}`);
        }
      } else if (restored && restored.columns.join('\n') === this.driftColumns.join('\n')) {
        reference = restored.reference; // captured before the savepoint: the deploy's reference stays
      }
      this.drift = new DriftMonitor(this.driftColumns, { ...drift, threshold: this.params.driftThreshold ?? 0.2 }, reference);
    }
  }

  async close(): Promise<void> {
    await this.champion?.close();
    await this.challenger?.close();
    this.champion = this.challenger = null;
  }

  onCheckpoint(_barrier: CheckpointBarrier): ScoreSnapshot | undefined {
    const reference = this.drift?.referenceBins;
    return reference ? { drift: { columns: this.driftColumns, reference } } : undefined;
  }

  onTimer(timer: FiredTimer): void {
    this.labels?.onTimer(timer);
  }

  processBatch(batch: Batch, port: string): void | Promise<void> {
    if (port === 'labels') return this.labels?.onLabels(batch);
    const { records } = batch;
    const n = this.features.length;
    const x = new Float64Array(records.length * n);
    const kept: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const row = kept.length;
      try {
        for (let j = 0; j < n; j++) {
          const v = this.features[j](records[i]);
          if (v !== null && typeof v !== 'number' && typeof v !== 'boolean') {
            throw new ExpressionRuntimeError(`feature '${this.params.features[j].name}' is ${typeof v}, not a number`);
          }
          x[row * n + j] = v === null ? NaN : Number(v);
        }
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(records[i], `score: ${err.message}`);
        continue;
      }
      kept.push(i);
    }
    if (!kept.length) return;
    if (!this.champion) throw new Error('score: the model is not open');
    const rows = x.subarray(0, kept.length * n);
    const scored = runBoth(this.champion, this.challenger, rows, kept.length);
    return isPromise(scored) ? scored.then(([c, h]) => this.emit(batch, kept, rows, c, h)) : this.emit(batch, kept, rows, ...scored);
  }

  private emit(batch: Batch, kept: number[], x: Float64Array, champion: OnnxScores, challenger: OnnxScores | null): void {
    const { output, classOutput, threshold } = this.params;
    const { score: scores, fields } = champion;
    const out = kept.map((i, row) => {
      const s = scores[row];
      const o = copyRecord(batch.records[i]);
      setField(o, output, Number.isNaN(s) ? null : s);
      if (classOutput) setField(o, classOutput, Number.isNaN(s) ? null : s >= threshold ? 1 : 0);
      for (const field in fields) o[field] = fields[field][row];
      return o;
    });
    const selected = selectBatch(batch, kept);
    this.ctx.emit({ ...selected, records: out });
    if (challenger && this.shadow) {
      const field = challengerField(this.params);
      const shadowRows = out.map((o, row) => {
        const h = challenger.score[row];
        this.shadow!.add(scores[row], h);
        const shadowRow = copyRecord(o);
        setField(shadowRow, field, Number.isNaN(h) ? null : h);
        return shadowRow;
      });
      this.ctx.emit({ ...selected, records: shadowRows }, 'shadow');
    }
    this.labels?.track(batch, kept, scores, challenger?.score ?? null);
    if (this.drift) this.drift.observe(withScores(x, scores, this.features.length), kept.length, this.ctx.now());
  }

  /** The model figures of this node (absent when it has no challenger, labels or drift to report on). */
  modelMetrics(): ModelMetrics | undefined {
    if (!this.shadow && !this.labels && !this.params.drift) return undefined;
    const shadow = this.shadow?.figures() ?? { agreement: null, meanAbsDiff: null, p50AbsDiff: null, p95AbsDiff: null };
    const none = { auc: null, logLoss: null };
    const drift = this.drift?.figures(this.ctx.now());
    return {
      compared: this.shadow?.compared ?? 0, ...shadow,
      labelled: this.labels?.labelled ?? 0,
      champion: this.labels?.champion.figures() ?? none,
      challenger: this.params.challenger ? this.labels?.challenger.figures() ?? none : null,
      ...(drift && { drift: drift.drift, drifting: drift.drifting }),
    };
  }
}

/** Feature rows with the score appended as one more column (the drift monitor's columns). */
function withScores(x: Float64Array, scores: Float64Array, n: number): Float64Array {
  const rows = scores.length;
  const out = new Float64Array(rows * (n + 1));
  for (let r = 0; r < rows; r++) {
    out.set(x.subarray(r * n, r * n + n), r * (n + 1));
    out[r * (n + 1) + n] = scores[r];
  }
  return out;
}
