import type { ModelParams } from '@eddy/shared';
import { isPromise } from '../../core/async.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';
import type { OperatorContext } from '../../core/operator.js';
import { createModel } from './models.js';
import { OnnxModel, type OnnxScores } from './onnx-model.js';

/** One model as the score node runs it: a batch of feature rows in, a score per row (and mapped fields) out. */
export interface Scorer {
  run(x: Float64Array, rows: number): OnnxScores | Promise<OnnxScores>;
  close(): Promise<void>;
}

/** Opens a model: a built-in one at once, an ONNX file loaded (and checked) from the allowed folders. */
export async function openScorer(model: ModelParams, features: string[], ctx: OperatorContext): Promise<Scorer> {
  if (model.type === 'onnx') {
    const file = requireAllowedFile(model.path, { baseDir: ctx.baseDir, roots: ctx.fileRoots ?? [] });
    const onnx = await OnnxModel.load(file, features, model);
    return { run: (x, rows) => onnx.run(x, rows), close: () => onnx.close() };
  }
  const built = createModel(features, model);
  return {
    run: (x, rows) => {
      const s = built.predict(x, rows);
      return isPromise(s) ? s.then((score) => ({ score, fields: {} })) : { score: s, fields: {} };
    },
    close: () => Promise.resolve(),
  };
}

/** Scores with both models, synchronously when both are (the built-in models are). */
export function runBoth(a: Scorer, b: Scorer | null, x: Float64Array, rows: number): [OnnxScores, OnnxScores | null] | Promise<[OnnxScores, OnnxScores | null]> {
  const ra = a.run(x, rows);
  const rb = b ? b.run(x, rows) : null;
  if (isPromise(ra) || isPromise(rb)) return Promise.all([ra, rb]);
  return [ra, rb];
}
