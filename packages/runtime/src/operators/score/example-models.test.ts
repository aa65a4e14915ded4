import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '@eddy/shared';
import { modelToOnnx } from './onnx-export.js';
import { parseModelFile } from './model-file.js';
import { bothScores, expectClose, randomRows } from '../../test-utils/onnx-parity.js';

// Every JSON model in examples/models ships with its ONNX twin, made by `eddy model to-onnx`.
const MODELS = fileURLToPath(new URL('../../../../../examples/models/', import.meta.url));
const twins = readdirSync(MODELS).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

describe('the example ONNX models', () => {
  it('are there, one per JSON model, all four model types among them', () => {
    const onnx = readdirSync(MODELS).filter((f) => f.endsWith('.onnx')).map((f) => f.replace(/\.onnx$/, ''));
    expect(onnx.sort()).toEqual([...twins].sort());
    const types = twins.map((t) => { const { model } = parseModelFile(JSON.parse(readFileSync(join(MODELS, `${t}.json`), 'utf8'))); return model.type === 'tree-ensemble' ? model.objective : model.type; });
    expect(new Set(types)).toEqual(new Set(['logistic', 'linear', 'regression', 'binary:logistic']));
  });

  it('checkout-propensity is the checkout template\'s model, features in the node\'s order', () => {
    const node = getTemplate('checkout-personalisation')!.document().nodes.find((n) => n.kind === 'score')!;
    const params = node.params as { features: { name: string }[]; model: unknown };
    expect(parseModelFile(JSON.parse(readFileSync(join(MODELS, 'checkout-propensity.json'), 'utf8'))))
      .toEqual({ features: params.features.map((f) => f.name), model: params.model });
  });

  it.each(twins)('%s: the .onnx file is what the converter makes of the .json today', (name) => {
    const { features, model } = parseModelFile(JSON.parse(readFileSync(join(MODELS, `${name}.json`), 'utf8')));
    expect(Buffer.from(readFileSync(join(MODELS, `${name}.onnx`))).equals(Buffer.from(modelToOnnx(features, model, name)))).toBe(true);
  });

  it.each(twins)('%s: the ONNX model scores 400 random rows as the JSON model does, within float32 precision', async (name) => {
    const { features, model } = parseModelFile(JSON.parse(readFileSync(join(MODELS, `${name}.json`), 'utf8')));
    const { json, onnx } = await bothScores(join(MODELS, `${name}.onnx`), model, features, randomRows(400, features.length, 0.03, name.length));
    expectClose(onnx, json);
    expect(new Set(json.map((v) => v.toFixed(3))).size).toBeGreaterThan(5); // the rows reach many different scores (leaves)
  });
});
