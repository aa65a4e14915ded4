import { z } from 'zod';
import { defineKind, expression, inputOf, outputName } from '../define.js';
import type { FieldSchema } from '../../schema/record-schema.js';

const name = outputName('A name');

/** A decision tree in XGBoost's JSON spirit: split nodes point at children by index, leaves hold a value. */
const treeNode = z.union([
  z.object({ feature: name, threshold: z.number(), left: z.number().int().min(0), right: z.number().int().min(0),
    missing: z.enum(['left', 'right']).default('left') }).strict(),
  z.object({ leaf: z.number() }).strict(),
]);

export const modelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('linear'), weights: z.record(name, z.number()), intercept: z.number().default(0) }).strict(),
  z.object({ type: z.literal('logistic'), weights: z.record(name, z.number()), intercept: z.number().default(0) }).strict(),
  z.object({
    type: z.literal('tree-ensemble'),
    objective: z.enum(['regression', 'binary:logistic']).default('regression'),
    baseScore: z.number().default(0),
    trees: z.array(z.object({ nodes: z.array(treeNode).min(1) }).strict()).min(1),
  }).strict(),
  // An ONNX file: its input and outputs are read from the file when the job opens (and by a
  // server's or the command line's validation), not here, since the catalog reads no files.
  z.object({
    type: z.literal('onnx'),
    path: z.string().min(1, 'Name the .onnx file'),
    score: z.string().min(1).optional().describe('The model output that gives the score (default: its first float output)'),
    outputs: z.record(name, z.string().min(1)).default({}).describe('More fields, each from a model output (field → output name)'),
  }).strict(),
]);
export type ModelParams = z.infer<typeof modelSchema>;

export const score = defineKind({
  kind: 'score',
  category: 'ml',
  eventTime: 'passes',
  stateful: false,
  title: 'Score',
  doc:
    'Scores each record with a model: `features` are expressions over the record, the model is a `linear` or ' +
    '`logistic` regression (weights per feature) or a `tree-ensemble` (gradient-boosted trees as JSON). The ' +
    'score (a probability for logistic and binary:logistic) goes to `output`; with `classOutput` a 0/1 class ' +
    'at `threshold` too. A NULL feature scores as NULL for linear models; trees follow `missing`. An `onnx` model ' +
    'is a file run by ONNX Runtime: the features, in order, make its one float input [batch, features]; ' +
    '`outputs` maps more of its outputs (a label, a vector of probabilities) to fields.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params: z.object({
    features: z.array(z.object({ name, expr: expression() }).strict()).min(1, 'Add at least one feature'),
    model: modelSchema,
    output: name.default('score'),
    classOutput: name.optional().describe('Also write the class (1 when score ≥ threshold, else 0)'),
    threshold: z.number().default(0.5),
  }).strict().superRefine((p, ctx) => {
    const features = new Set(p.features.map((f) => f.name));
    if (p.model.type === 'onnx') {
      for (const field of Object.keys(p.model.outputs)) {
        if (field === p.output || field === p.classOutput) ctx.addIssue({ code: 'custom', path: ['model', 'outputs', field], message: `'${field}' is already the score's field` });
      }
      return; // the model's input is checked against the features when the file is read
    }
    const used = p.model.type === 'tree-ensemble'
      ? p.model.trees.flatMap((t, ti) => t.nodes.flatMap((n, ni) => ('feature' in n ? [[n.feature, ['model', 'trees', ti, 'nodes', ni, 'feature']] as const] : [])))
      : Object.keys(p.model.weights).map((f) => [f, ['model', 'weights', f]] as const);
    for (const [f, path] of used) {
      if (!features.has(f)) ctx.addIssue({ code: 'custom', path: [...path], message: `The model uses '${f}', which is not among the features` });
    }
    if (p.model.type === 'tree-ensemble') {
      p.model.trees.forEach((t, ti) => t.nodes.forEach((n, ni) => {
        if ('feature' in n && (n.left >= t.nodes.length || n.right >= t.nodes.length || n.left <= ni || n.right <= ni)) {
          ctx.addIssue({ code: 'custom', path: ['model', 'trees', ti, 'nodes', ni], message: 'Children must point at later nodes of the same tree' });
        }
      }));
    }
  }),
  defaults: {
    features: [{ name: 'price', expr: 'price' }],
    model: { type: 'logistic', weights: { price: 0.01 }, intercept: -1 },
    output: 'score', threshold: 0.5,
  },
  outputSchema: ({ params, inputs }) => {
    const input = inputOf(inputs);
    const fields: Record<string, FieldSchema> = { ...input.fields, [params.output]: { type: 'number' } };
    if (params.classOutput) fields[params.classOutput] = { type: 'number' };
    // A model output is a number per row, or an array (a vector) when it has several values per row.
    if (params.model.type === 'onnx') for (const field of Object.keys(params.model.outputs)) fields[field] = { type: 'any' };
    return { out: { fields, open: input.open } };
  },
  files: (p) => (p.model.type === 'onnx' ? [{ path: ['model', 'path'], file: p.model.path, access: 'read' as const }] : []),
  expressions: (p) => p.features.map((f, i) => ({ path: ['features', i, 'expr'], source: f.expr, port: 'in' })),
});
