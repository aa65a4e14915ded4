import { expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { createModel, type BuiltInModelParams } from '../operators/score/models.js';

/**
 * Random feature rows, from a fixed seed: magnitudes from 0.01 to 1000 (so thresholds and weights
 * of any scale matter), some negative, `nulls` of them NaN; float32 values, so both models see the same numbers.
 */
export function randomRows(rows: number, features: number, nulls = 0, seed = 7): Float32Array {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Float32Array.from({ length: rows * features }, () => (next() < nulls ? NaN : (next() - 0.2) * 10 ** (next() * 5 - 2)));
}

/** The JSON model's and the ONNX model's scores for the same rows (the ONNX score: its score output, column 1 of probabilities). */
export async function bothScores(onnx: Uint8Array | string, params: BuiltInModelParams, features: string[], x: Float32Array) {
  const rows = x.length / features.length;
  const json = Array.from(createModel(features, params).predict(Float64Array.from(x), rows));
  const session = await ort.InferenceSession.create(onnx as Uint8Array);
  const out = await session.run({ features: new ort.Tensor('float32', x, [rows, features.length]) });
  await session.release();
  const name = session.outputNames.find((n) => n !== 'label')!;
  const data = out[name].data as Float32Array;
  const onnxScores = data.length === rows ? Array.from(data) : Array.from({ length: rows }, (_, r) => data[r * 2 + 1]);
  return { json, onnx: onnxScores, label: out.label?.data as BigInt64Array | undefined };
}

/** |a - b| within float32 precision of the scores' size (NaN equals NaN). */
export function expectClose(a: number[], b: number[]) {
  expect(a.length).toBe(b.length);
  const off = a.flatMap((v, i) => (Number.isNaN(v) && Number.isNaN(b[i])) || Math.abs(v - b[i]) <= 1e-5 * Math.max(1, Math.abs(v)) ? [] : [[i, v, b[i]]]);
  expect(off).toEqual([]);
}
