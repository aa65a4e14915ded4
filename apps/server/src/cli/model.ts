import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { modelToOnnx, parseModelFile } from '@eddy/runtime';
import { readDocument, UsageError, type Verb } from './common.js';

export const modelVerb: Verb = {
  summary: 'convert a JSON model to ONNX (model to-onnx)',
  help: `Usage: eddy model to-onnx <model.json> <model.onnx>
  Writes the ONNX model that scores as the JSON model does (linear, logistic, tree-ensemble), in
  float32. The JSON file is { "features": [...], "model": {...} } (the model as a score node's
  \`model\`), or the model alone. The ONNX model has one input, 'features' float [N, features in
  that order]; its outputs: 'prediction' (linear, regression trees), 'probability' (logistic), or
  'label' and 'probabilities' [N, 2] (binary:logistic trees). See docs/models.md.`,
  options: {},
  positionals: { min: 3, max: 3, what: 'to-onnx, a JSON model and the .onnx file to write' },
  async run([action, from, to], _values, io) {
    if (action !== 'to-onnx') throw new UsageError(`eddy model to-onnx, not '${action}'`);
    const json = readDocument(from, io);
    if (json === undefined) return 2;
    let file;
    try {
      file = parseModelFile(json);
    } catch (err) {
      io.err(`eddy: ${from}: ${(err as Error).message}`);
      return 1;
    }
    const bytes = modelToOnnx(file.features, file.model, basename(from).replace(/\.json$/, ''));
    writeFileSync(to, bytes);
    io.out(`${to}: ${file.model.type} model, input 'features' [N, ${file.features.length}] (${file.features.join(', ')}), ${bytes.length} bytes`);
    return 0;
  },
};
