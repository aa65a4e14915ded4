import { modelSchema } from '@eddy/shared';
import type { BuiltInModelParams } from './models.js';
import { featuresOf } from './onnx-export.js';

/** A JSON model file: the model as a score node's `model` param, with its features in order. */
export interface ModelFile { features: string[]; model: BuiltInModelParams }

/**
 * Reads a JSON model file: `{ "features": [...], "model": {...} }`, or the model alone (its
 * features then in the order its weights or trees name them). Throws a sentence saying what is wrong.
 */
export function parseModelFile(json: unknown): ModelFile {
  const wrapped = typeof json === 'object' && json !== null && 'model' in json;
  const parsed = modelSchema.safeParse(wrapped ? (json as { model: unknown }).model : json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not an Eddy model: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  if (parsed.data.type === 'onnx') throw new Error('already an ONNX model reference; give a linear, logistic or tree-ensemble JSON model');
  const model = parsed.data;
  const given = wrapped ? (json as { features?: unknown }).features : undefined;
  if (given === undefined) return { features: featuresOf(model), model };
  if (!Array.isArray(given) || !given.every((f) => typeof f === 'string') || new Set(given).size !== given.length) {
    throw new Error('`features` must be a list of distinct names');
  }
  const missing = featuresOf(model).filter((f) => !given.includes(f));
  if (missing.length) throw new Error(`the model uses ${missing.map((f) => `'${f}'`).join(', ')}, not among \`features\``);
  return { features: given as string[], model };
}
