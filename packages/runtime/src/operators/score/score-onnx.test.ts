import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ort from 'onnxruntime-node';
import { parsePipeline } from '@eddy/shared';
import { runPipeline } from '../../harness/run-pipeline.js';
import { createModel } from './models.js';
import { checkModels } from './check-models.js';

// The shipped example models (made by `eddy model to-onnx` from their JSON twins beside them).
const MODELS = fileURLToPath(new URL('../../../../../examples/models/', import.meta.url));
const fraudFeatures = ['amount', 'attempts', 'account_age_days'];

const doc = (score: object) => ({
  format: 'eddy/pipeline@1', name: 'onnx',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', fields: fraudFeatures.map((name) => ({ name, type: 'number' })) } },
    { id: 'fraud', kind: 'score', params: { features: fraudFeatures.map((name) => ({ name, expr: name })), output: 'p', ...score } },
    { id: 'out', kind: 'sink.log', params: {} },
  ],
  edges: [{ from: 'src', to: 'fraud' }, { from: 'fraud', to: 'out' }],
});

const payments = Array.from({ length: 240 }, (_, i) => ({ amount: (i * 37) % 900, attempts: i % 7, account_age_days: i % 11 === 0 ? null : (i * 13) % 60 }));

afterEach(() => vi.restoreAllMocks());

describe('score with an ONNX model', () => {
  it.each(['native', 'microbatch'] as const)('scores each batch in one run, as the JSON twin scores, with label and probabilities as fields (%s)', async (mode) => {
    const run = vi.spyOn(ort.InferenceSession.prototype, 'run');
    const model = { type: 'onnx', path: 'fraud-trees.onnx', outputs: { fraud: 'label', probs: 'probabilities' } };
    let batchesOut = 0;
    const tap = (nodeId: string) => { if (nodeId === 'fraud') batchesOut++; };
    const r = await runPipeline(doc({ model, classOutput: 'flag' }), { src: payments }, { mode, baseDir: MODELS, tap });
    const rows = r.outputs.fraud;
    expect(rows).toHaveLength(payments.length);
    // One ONNX run per batch that reached the node (native mode's batches are single records).
    expect(run.mock.calls.length).toBe(batchesOut);
    if (mode === 'microbatch') expect(run.mock.calls.length).toBeLessThan(payments.length / 4);
    const twin = await import(join(MODELS, 'fraud-trees.json'), { with: { type: 'json' } });
    const x = Float64Array.from(payments.flatMap((p) => fraudFeatures.map((f) => (p[f as keyof typeof p] ?? NaN) as number)));
    const expected = createModel(fraudFeatures, twin.default.model).predict(x, payments.length) as Float64Array;
    rows.forEach((row, i) => {
      expect(row.p as number).toBeCloseTo(expected[i], 6);
      expect(row.fraud).toBe(expected[i] > 0.5 ? 1 : 0);
      expect(row.flag).toBe(expected[i] >= 0.5 ? 1 : 0);
      expect((row.probs as number[])[1]).toBe(row.p);
      expect((row.probs as number[])[0]).toBeCloseTo(1 - expected[i], 6);
    });
    expect(new Set(rows.map((row) => row.fraud))).toEqual(new Set([0, 1]));
  });

  it('a NULL feature scores NULL through a linear ONNX model', async () => {
    const features = [{ name: 'events', expr: 'amount' }, { name: 'carts', expr: 'attempts' }, { name: 'cart_value', expr: 'account_age_days' }];
    const r = await runPipeline(doc({ features, model: { type: 'onnx', path: 'basket-value.onnx' } }),
      { src: [{ amount: 2, attempts: 1, account_age_days: 100 }, { amount: 2, attempts: 1, account_age_days: null }] }, { baseDir: MODELS });
    expect(r.outputs.fraud.map((row) => row.p)).toEqual([expect.closeTo(4 + 0.8 * 2 + 12.5 + 95, 4), null]);
  });

  it('fails the deploy, naming the node, when the model takes another number of features', async () => {
    const features = [{ name: 'amount', expr: 'amount' }, { name: 'attempts', expr: 'attempts' }];
    await expect(runPipeline(doc({ features, model: { type: 'onnx', path: 'fraud-trees.onnx' } }), { src: payments }, { baseDir: MODELS }))
      .rejects.toThrow(/'fraud'.*takes 3 features; the node gives 2 \(amount, attempts\)/);
  });

  it('fails the deploy with the reason when the file is not a model, or a mapped output is not in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-onnx-'));
    writeFileSync(join(dir, 'broken.onnx'), 'not a protobuf at all');
    await expect(runPipeline(doc({ model: { type: 'onnx', path: 'broken.onnx' } }), { src: payments }, { baseDir: dir }))
      .rejects.toThrow(/'fraud'.*The ONNX model broken.onnx does not load: /);
    await expect(runPipeline(doc({ model: { type: 'onnx', path: 'fraud-trees.onnx', outputs: { x: 'scores' } } }), { src: payments }, { baseDir: MODELS }))
      .rejects.toThrow(/No output 'scores' for field 'x': the model's outputs are 'label' \(int64 \[N\]\), 'probabilities' \(float32 \[N, 2\]\)/);
  });

  it('refuses a model outside the allowed folders before anything runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-onnx-'));
    await expect(runPipeline(doc({ model: { type: 'onnx', path: join(MODELS, 'fraud-trees.onnx') } }), { src: payments }, { baseDir: dir, fileRoots: [] }))
      .rejects.toThrow(/outside the folders Eddy may use/);
  });

  it('validation reports a model that does not fit as an issue on its node, and passes one that fits', async () => {
    const good = parsePipeline(doc({ model: { type: 'onnx', path: 'fraud-trees.onnx' } }));
    expect(await checkModels(good, { baseDir: MODELS, roots: [] })).toEqual([]);
    const bad = parsePipeline(doc({ features: [{ name: 'amount', expr: 'amount' }], model: { type: 'onnx', path: 'checkout-propensity.onnx' } }));
    expect(await checkModels(bad, { baseDir: MODELS, roots: [] })).toEqual([{ code: 'model_mismatch', nodeId: 'fraud', path: 'nodes[1].params.model',
      message: expect.stringMatching(/input 'features' takes 4 features; the node gives 1 \(amount\)/) }]);
    // A challenger is checked as the model is, and its issue says it is the challenger's.
    const challenger = parsePipeline(doc({ features: [{ name: 'amount', expr: 'amount' }], model: { type: 'linear', weights: { amount: 1 } },
      challenger: { type: 'onnx', path: 'checkout-propensity.onnx' } }));
    expect(await checkModels(challenger, { baseDir: MODELS, roots: [] })).toEqual([{ code: 'model_mismatch', nodeId: 'fraud', path: 'nodes[1].params.challenger',
      message: expect.stringMatching(/^The challenger: .*takes 4 features; the node gives 1 \(amount\)/) }]);
    // Without reading the file, the catalog checks the fields: a mapped output cannot overwrite the score.
    expect(() => parsePipeline(doc({ model: { type: 'onnx', path: 'fraud-trees.onnx', outputs: { p: 'label' } } })))
      .toThrow(/'p' is already the score's field/);
  });
});
