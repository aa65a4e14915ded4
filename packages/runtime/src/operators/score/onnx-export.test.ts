import { describe, expect, it } from 'vitest';
import type { BuiltInModelParams } from './models.js';
import { bothScores, expectClose, randomRows } from '../../test-utils/onnx-parity.js';
import { featuresOf, modelToOnnx } from './onnx-export.js';
import { varintBytes } from './protobuf-writer.js';

const trees = [
  { nodes: [{ feature: 'x', threshold: 10, left: 1, right: 2, missing: 'right' as const }, { leaf: -1 }, { leaf: 2 }] },
  { nodes: [{ feature: 'y', threshold: 0.5, left: 1, right: 2, missing: 'left' as const }, { leaf: 0.25 },
    { feature: 'x', threshold: 20, left: 3, right: 4, missing: 'left' as const }, { leaf: 0.5 }, { leaf: 1.5 }] },
  { nodes: [{ leaf: 0.125 }] },
];

describe('JSON models to ONNX', () => {
  it('writes varints as protobuf does (7 bits a byte, low first; negatives as 10 bytes)', () => {
    expect(Array.from(varintBytes(1))).toEqual([1]);
    expect(Array.from(varintBytes(300))).toEqual([0xac, 0x02]);
    expect(varintBytes(-1).length).toBe(10);
  });

  it.each<[string, BuiltInModelParams]>([
    ['logistic', { type: 'logistic', weights: { a: 2, b: -1, c: 0.003 }, intercept: 0.5 }],
    ['linear', { type: 'linear', weights: { a: 3, b: 0.25, c: -7 }, intercept: -1 }],
  ])('a %s model scores as its JSON twin, NULL features included', async (_, params) => {
    const features = featuresOf(params);
    const x = randomRows(300, features.length, 0.02);
    const { json, onnx } = await bothScores(modelToOnnx(features, params), params, features, x);
    expect(json.some(Number.isNaN)).toBe(true);
    expectClose(onnx, json);
  });

  it('a regression tree ensemble sums the same leaves, following `missing` for NULL', async () => {
    const params: BuiltInModelParams = { type: 'tree-ensemble', objective: 'regression', baseScore: 0.1, trees };
    const x = randomRows(300, 2, 0.1);
    const { json, onnx } = await bothScores(modelToOnnx(['x', 'y'], params), params, ['x', 'y'], x);
    expectClose(onnx, json);
  });

  it('a binary:logistic tree ensemble gives the same probability, and label 1 when it is above one half', async () => {
    const params: BuiltInModelParams = { type: 'tree-ensemble', objective: 'binary:logistic', baseScore: -0.5, trees };
    const x = randomRows(300, 2, 0.1);
    const { json, onnx, label } = await bothScores(modelToOnnx(['x', 'y'], params), params, ['x', 'y'], x);
    expectClose(onnx, json);
    expect(Array.from(label!, Number)).toEqual(json.map((p) => (p > 0.5 ? 1 : 0)));
  });

  it('reads the features as the weights or the trees name them, in order', () => {
    expect(featuresOf({ type: 'tree-ensemble', objective: 'regression', baseScore: 0, trees })).toEqual(['x', 'y']);
    expect(featuresOf({ type: 'linear', weights: { b: 1, a: 2 }, intercept: 0 })).toEqual(['b', 'a']);
  });
});
