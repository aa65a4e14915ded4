import type { PipelineDocument, ValidationIssue } from '@eddy/shared';
import { checkFile, type FilePolicy } from '../../io/allowed-roots.js';
import { OnnxModel } from './onnx-model.js';

/**
 * What validation adds for ONNX models (the champion and a challenger), since the catalog reads no files: each model loads,
 * and its input and outputs fit its node (feature count, input type, the outputs named). One
 * issue per model that does not, naming the node. A path outside the allowed folders is left
 * to checkFilePaths, which reports it.
 */
export async function checkModels(document: PipelineDocument, policy: FilePolicy): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  for (const [i, node] of document.nodes.entries()) {
    if (node.kind !== 'score') continue;
    const params = node.params as { features: { name: string }[]; model: { type: string }; challenger?: { type: string } };
    for (const at of ['model', 'challenger'] as const) {
      if (params[at]?.type !== 'onnx') continue;
      const model = params[at] as Parameters<typeof OnnxModel.load>[2];
      const verdict = checkFile(model.path, policy);
      if (!verdict.ok) continue;
      try {
        const loaded = await OnnxModel.load(verdict.path, params.features.map((f) => f.name), model);
        await loaded.close();
      } catch (err) {
        const message = (err as Error).message;
        issues.push({ code: 'model_mismatch', nodeId: node.id, path: `nodes[${i}].params.${at}`, message: at === 'model' ? message : `The challenger: ${message}` });
      }
    }
  }
  return issues;
}
