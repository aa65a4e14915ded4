import { compileExpression, ExpressionRuntimeError, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { isPromise } from '../../core/async.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';
import { createModel, type Model } from './models.js';
import { OnnxModel, type OnnxScores } from './onnx-model.js';

/**
 * Computes features per record, scores the whole batch at once, writes the score (and class).
 * A built-in model scores in place; an ONNX model is loaded (and checked) in open(), and
 * gets each batch as one tensor.
 */
export class ScoreOperator implements Operator {
  private readonly features: ((r: Rec) => unknown)[];
  private readonly model: Model | null;
  private onnx: OnnxModel | null = null;

  constructor(private readonly params: ParamsOf<'score'>, private readonly ctx: OperatorContext) {
    this.features = params.features.map((f) => compileExpression(f.expr, ctx.inputSchemas.in));
    this.model = params.model.type === 'onnx' ? null : createModel(params.features.map((f) => f.name), params.model);
  }

  async open(): Promise<void> {
    const { model } = this.params;
    if (model.type !== 'onnx') return;
    const file = requireAllowedFile(model.path, { baseDir: this.ctx.baseDir, roots: this.ctx.fileRoots ?? [] });
    this.onnx = await OnnxModel.load(file, this.params.features.map((f) => f.name), model);
  }

  async close(): Promise<void> {
    await this.onnx?.close();
    this.onnx = null;
  }

  processBatch(batch: Batch): void | Promise<void> {
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
    const rows = x.subarray(0, kept.length * n);
    if (!this.model) {
      if (!this.onnx) throw new Error('score: the ONNX model is not open');
      return this.onnx.run(rows, kept.length).then((s) => this.emit(batch, kept, s.score, s.fields));
    }
    const scores = this.model.predict(rows, kept.length);
    return isPromise(scores) ? scores.then((s) => this.emit(batch, kept, s)) : this.emit(batch, kept, scores);
  }

  private emit(batch: Batch, kept: number[], scores: Float64Array, fields: OnnxScores['fields'] = {}): void {
    const { output, classOutput, threshold } = this.params;
    const out = kept.map((i, row) => {
      const s = scores[row];
      const o: Rec = { ...batch.records[i], [output]: Number.isNaN(s) ? null : s };
      if (classOutput) o[classOutput] = Number.isNaN(s) ? null : s >= threshold ? 1 : 0;
      for (const field in fields) o[field] = fields[field][row];
      return o;
    });
    this.ctx.emit({ ...selectBatch(batch, kept), records: out });
  }
}
