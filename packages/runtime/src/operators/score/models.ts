import type { ModelParams } from '@eddy/shared';

/**
 * A model scores a batch: features arrive row-major in one Float64Array (NaN = NULL), one
 * score per row comes back. Batch-shaped and possibly asynchronous, so an ONNX session
 * (which runs whole tensors, asynchronously) fits the same interface.
 */
export interface Model {
  readonly featureNames: string[];
  predict(features: Float64Array, rows: number): Float64Array | Promise<Float64Array>;
}

/** The models Eddy scores itself (an `onnx` model runs in ONNX Runtime, see onnx-model.ts). */
export type BuiltInModelParams = Exclude<ModelParams, { type: 'onnx' }>;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

class LinearModel implements Model {
  private readonly weights: Float64Array;

  constructor(readonly featureNames: string[], weights: Record<string, number>, private readonly intercept: number,
    private readonly logistic: boolean) {
    this.weights = Float64Array.from(featureNames, (f) => weights[f] ?? 0);
  }

  predict(x: Float64Array, rows: number): Float64Array {
    const n = this.featureNames.length;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let z = this.intercept;
      for (let j = 0; j < n; j++) z += this.weights[j] * x[r * n + j];
      out[r] = this.logistic ? sigmoid(z) : z; // NaN (a NULL feature) stays NaN
    }
    return out;
  }
}

interface FlatTree { feature: Int32Array; threshold: Float64Array; left: Int32Array; right: Int32Array; missingLeft: Uint8Array; leaf: Float64Array }

/** Gradient-boosted trees: the sum of the leaves reached, plus baseScore; sigmoid for binary:logistic. */
class TreeEnsembleModel implements Model {
  private readonly trees: FlatTree[];

  constructor(readonly featureNames: string[], params: Extract<BuiltInModelParams, { type: 'tree-ensemble' }>) {
    const index = new Map(featureNames.map((f, i) => [f, i]));
    this.trees = params.trees.map((t) => {
      const n = t.nodes.length;
      const flat: FlatTree = { feature: new Int32Array(n).fill(-1), threshold: new Float64Array(n), left: new Int32Array(n),
        right: new Int32Array(n), missingLeft: new Uint8Array(n), leaf: new Float64Array(n) };
      t.nodes.forEach((node, i) => {
        if ('leaf' in node) { flat.leaf[i] = node.leaf; return; }
        flat.feature[i] = index.get(node.feature)!;
        flat.threshold[i] = node.threshold;
        flat.left[i] = node.left;
        flat.right[i] = node.right;
        flat.missingLeft[i] = node.missing === 'left' ? 1 : 0;
      });
      return flat;
    });
    this.base = params.baseScore;
    this.logistic = params.objective === 'binary:logistic';
  }

  private readonly base: number;
  private readonly logistic: boolean;

  predict(x: Float64Array, rows: number): Float64Array {
    const n = this.featureNames.length;
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = this.base;
      for (const t of this.trees) {
        let i = 0;
        while (t.feature[i] >= 0) {
          const v = x[r * n + t.feature[i]];
          i = Number.isNaN(v) ? (t.missingLeft[i] ? t.left[i] : t.right[i]) : v < t.threshold[i] ? t.left[i] : t.right[i];
        }
        sum += t.leaf[i];
      }
      out[r] = this.logistic ? sigmoid(sum) : sum;
    }
    return out;
  }
}

export function createModel(featureNames: string[], params: BuiltInModelParams): Model {
  switch (params.type) {
    case 'linear': return new LinearModel(featureNames, params.weights, params.intercept, false);
    case 'logistic': return new LinearModel(featureNames, params.weights, params.intercept, true);
    case 'tree-ensemble': return new TreeEnsembleModel(featureNames, params);
  }
}
