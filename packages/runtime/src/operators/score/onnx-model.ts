import type * as Ort from 'onnxruntime-node';
import type { ModelParams } from '@eddy/shared';

// Loaded on first use: ONNX Runtime's native library costs ~100 ms and memory in every job
// thread, and only pipelines with an ONNX model need it.
let ortModule: Promise<typeof Ort> | null = null;
const loadOrt = () => (ortModule ??= import('onnxruntime-node'));

export type OnnxModelParams = Extract<ModelParams, { type: 'onnx' }>;

/** What one batch gives: the score per row, and each mapped field's value per row (a number, a vector, or null). */
export interface OnnxScores {
  score: Float64Array;
  fields: Record<string, (number | number[] | null)[]>;
}

/** How the model's tensors meet the node: its input, which output is the score, and which feed fields. */
export interface OnnxSignature {
  input: string;
  inputType: 'float32' | 'float64';
  score: string;
  /** field → model output */
  outputs: Record<string, string>;
}

type Meta = Ort.InferenceSession.ValueMetadata;
const describe = (m: Meta) => (m.isTensor ? `'${m.name}' (${m.type} [${m.shape.join(', ') || '?'}])` : `'${m.name}' (not a tensor)`);
/** Values per row of a tensor output: the product of its dimensions after the batch; undefined when not fixed. */
const perRow = (m: Meta & { isTensor: true }) => m.shape.slice(1).reduce<number | undefined>((n, d) => (typeof d === 'number' && d >= 0 && n !== undefined ? n * d : undefined), 1);

/**
 * Checks a loaded model against the node: one float input [batch, features] taking as many
 * features as the node computes, the score output giving one value per row (or two: a binary
 * classifier's class probabilities, of which the second is the score), and every mapped
 * output present and a tensor. Each problem is a sentence for the user.
 */
export function checkOnnxSignature(inputs: readonly Meta[], outputs: readonly Meta[], features: string[], params: OnnxModelParams): { signature?: OnnxSignature; problems: string[] } {
  const problems: string[] = [];
  if (inputs.length !== 1) return { problems: [`The model has ${inputs.length} inputs (${inputs.map(describe).join(', ')}); Eddy gives it one, [batch, features]`] };
  const input = inputs[0];
  if (!input.isTensor || (input.type !== 'float32' && input.type !== 'float64')) {
    problems.push(`The model's input ${describe(input)} is not a float tensor; Eddy gives it float32 [batch, features]`);
  } else if (input.shape.length && input.shape.length !== 2) {
    problems.push(`The model's input ${describe(input)} is not [batch, features]`);
  } else if (input.shape.length) {
    const [batch, width] = input.shape;
    if (typeof width === 'number' && width >= 0 && width !== features.length) {
      problems.push(`The model's input '${input.name}' takes ${width} features; the node gives ${features.length} (${features.join(', ')})`);
    }
    if (typeof batch === 'number' && batch > 0) problems.push(`The model's input '${input.name}' has a fixed batch size of ${batch}: export it with a dynamic batch dimension`);
  }
  const known = `the model's outputs are ${outputs.map(describe).join(', ')}`;
  const tensors = outputs.filter((o): o is Meta & { isTensor: true } => o.isTensor);
  const score = params.score !== undefined ? outputs.find((o) => o.name === params.score)
    : tensors.find((o) => o.type === 'float32' || o.type === 'float64') ?? tensors[0];
  if (!score) problems.push(params.score !== undefined ? `No output '${params.score}' to score with: ${known}` : `No tensor output to score with: ${known}`);
  else if (!score.isTensor) problems.push(`The score output ${describe(score)} is not a tensor (export classifiers without ZipMap)`);
  else if ((perRow(score) ?? 1) > 2) problems.push(`The score output ${describe(score)} has ${perRow(score)} values per row: name a one-value output as \`score\`, map this one in \`outputs\``);
  for (const [field, name] of Object.entries(params.outputs)) {
    const o = outputs.find((m) => m.name === name);
    if (!o) problems.push(`No output '${name}' for field '${field}': ${known}`);
    else if (!o.isTensor) problems.push(`The output ${describe(o)} for field '${field}' is not a tensor (export classifiers without ZipMap)`);
  }
  if (problems.length || !score || !input.isTensor) return { problems };
  return { problems, signature: { input: input.name, inputType: input.type as 'float32' | 'float64', score: score.name, outputs: params.outputs } };
}

/** An ONNX model in ONNX Runtime (CPU), checked against the node; one run per batch. */
export class OnnxModel {
  private constructor(private readonly ort: typeof Ort, private readonly session: Ort.InferenceSession,
    private readonly signature: OnnxSignature, private readonly width: number) {}

  /** Loads and checks the model at `file` (an allowed path); throws with the reason when it cannot serve the node. */
  static async load(file: string, features: string[], params: OnnxModelParams): Promise<OnnxModel> {
    const ort = await loadOrt();
    let session: Ort.InferenceSession;
    try {
      // One thread: a stream job runs many operators (and subtasks) on few cores; batches give the throughput.
      session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 });
    } catch (err) {
      throw new Error(`The ONNX model ${params.path} does not load: ${(err as Error).message}`);
    }
    const { signature, problems } = checkOnnxSignature(session.inputMetadata, session.outputMetadata, features, params);
    if (!signature) {
      await session.release();
      throw new Error(`The ONNX model ${params.path} does not fit the node: ${problems.join('; ')}`);
    }
    return new OnnxModel(ort, session, signature, features.length);
  }

  /** Scores `rows` rows of features (row-major, NaN = NULL) in one run. */
  async run(x: Float64Array, rows: number): Promise<OnnxScores> {
    const { input, inputType, score, outputs } = this.signature;
    const data = inputType === 'float32' ? Float32Array.from(x) : Float64Array.from(x);
    const fetch = [...new Set([score, ...Object.values(outputs)])];
    const result = await this.session.run({ [input]: new this.ort.Tensor(inputType, data, [rows, this.width]) }, fetch);
    const values = (name: string) => {
      const d = result[name].data as ArrayLike<number | bigint>;
      return { d, width: d.length / rows };
    };
    const s = values(score);
    if (s.width !== 1 && s.width !== 2) throw new Error(`The score output '${score}' gave ${s.width} values per row`);
    const scoreOut = Float64Array.from({ length: rows }, (_, r) => Number(s.d[r * s.width + s.width - 1]));
    const fields: OnnxScores['fields'] = {};
    for (const [field, name] of Object.entries(outputs)) {
      const { d, width } = values(name);
      const num = (v: number | bigint) => (Number.isNaN(Number(v)) ? null : Number(v));
      fields[field] = Array.from({ length: rows }, (_, r) => (width === 1 ? num(d[r])
        : Array.from({ length: width }, (_, j) => Number(d[r * width + j]))));
    }
    return { score: scoreOut, fields };
  }

  close(): Promise<void> {
    return this.session.release();
  }
}
