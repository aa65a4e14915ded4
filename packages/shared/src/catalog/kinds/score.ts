import { z } from 'zod';
import { defineKind, duration, expression, inputOf, outputName } from '../define.js';
import { canonicalDuration } from '../fingerprint.js';
import type { FieldSchema, RecordSchema } from '../../schema/record-schema.js';

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

/** A model type whose score is a probability, so agreement compares classes at the threshold. */
export const isProbabilityModel = (m: ModelParams): boolean =>
  m.type === 'logistic' || (m.type === 'tree-ensemble' && m.objective === 'binary:logistic');

type Issue = { path: (string | number)[]; message: string };

/** Where a built-in model does not fit the node's features (an ONNX model is checked when its file is read). */
function modelIssues(model: ModelParams, features: Set<string>, at: string): Issue[] {
  if (model.type === 'onnx') return [];
  const issues: Issue[] = [];
  const used = model.type === 'tree-ensemble'
    ? model.trees.flatMap((t, ti) => t.nodes.flatMap((n, ni) => ('feature' in n ? [[n.feature, [at, 'trees', ti, 'nodes', ni, 'feature']] as const] : [])))
    : Object.keys(model.weights).map((f) => [f, [at, 'weights', f]] as const);
  const who = at === 'model' ? 'The model' : 'The challenger';
  for (const [f, path] of used) {
    if (!features.has(f)) issues.push({ path: [...path], message: `${who} uses '${f}', which is not among the features` });
  }
  if (model.type === 'tree-ensemble') {
    model.trees.forEach((t, ti) => t.nodes.forEach((n, ni) => {
      if ('feature' in n && (n.left >= t.nodes.length || n.right >= t.nodes.length || n.left <= ni || n.right <= ni)) {
        issues.push({ path: [at, 'trees', ti, 'nodes', ni], message: 'Children must point at later nodes of the same tree' });
      }
    }));
  }
  return issues;
}

/** The field of the challenger's score on `shadow` records. */
export const challengerField = (p: { challengerOutput?: string }): string => p.challengerOutput ?? 'challenger_score';

const driftSchema = z.object({
  reference: z.union([z.literal('first'), z.object({ path: z.string().min(1, 'Name the reference file') }).strict()]).default('first')
    .describe("'first': the first `records` records after deploy; or { path } of a JSON file with bins per feature"),
  records: z.number().int().min(10).max(1_000_000).default(1000).describe("How many records make the 'first' reference"),
  window: duration({ min: 1000 }).default('60s').describe('The live histogram: a tumbling processing-time window'),
  bins: z.number().int().min(2).max(100).default(10).describe("Bins per feature of a 'first' reference (its deciles, by default)"),
}).strict();

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
    '`outputs` maps more of its outputs (a label, a vector of probabilities) to fields. A `challenger` model ' +
    'scores every record too (shadow scoring): only the champion (`model`) goes to `out`, both scores to `shadow` ' +
    'and to the node\'s model metrics (agreement, score differences, and with `label` and a `labels` input, live ' +
    'AUC and log-loss of both). `drift` compares live feature and score histograms with a reference (PSI).',
  inputs: [{ name: 'in' }, { name: 'labels', optional: true, doc: 'Labels arriving later (with `label`): live AUC and log-loss of both models' }],
  outputs: (p) => (p.challenger ? [{ name: 'out' }, { name: 'shadow', doc: 'Each record with the champion\'s and the challenger\'s score' }] : [{ name: 'out' }]),
  params: z.object({
    features: z.array(z.object({ name, expr: expression() }).strict()).min(1, 'Add at least one feature'),
    model: modelSchema,
    output: name.default('score'),
    classOutput: name.optional().describe('Also write the class (1 when score ≥ threshold, else 0)'),
    threshold: z.number().default(0.5),
    challenger: modelSchema.optional().describe('A second model scored beside `model` (shadow scoring): its score goes to the `shadow` port and to metrics, never to `out`'),
    challengerOutput: name.optional().describe("The challenger's score on `shadow` records (default: challenger_score)"),
    tolerance: z.number().min(0).optional().describe('Regression models agree when |champion − challenger| ≤ tolerance × max(1, |champion|) (default 0.01)'),
    label: z.object({
      field: name.describe('The label on `labels` records: 1 (or true) positive, 0 (or false) negative'),
      key: expression().describe('What ties a label to a scored record, on both inputs, e.g. order_id'),
      within: duration({ min: 1 }).describe('How long after a scored record (event time) its label may arrive'),
    }).strict().optional(),
    drift: driftSchema.optional(),
    driftThreshold: z.number().positive().optional().describe('PSI above which a feature or the score counts as drifting (default 0.2)'),
  }).strict().superRefine((p, ctx) => {
    const features = new Set(p.features.map((f) => f.name));
    for (const at of ['model', 'challenger'] as const) {
      const model = p[at];
      if (!model) continue;
      if (model.type === 'onnx') {
        for (const field of Object.keys(model.outputs)) {
          if (field === p.output || field === p.classOutput) ctx.addIssue({ code: 'custom', path: [at, 'outputs', field], message: `'${field}' is already the score's field` });
        }
      }
      for (const issue of modelIssues(model, features, at)) ctx.addIssue({ code: 'custom', ...issue });
    }
    if (p.challenger && [p.output, p.classOutput].includes(challengerField(p))) {
      ctx.addIssue({ code: 'custom', path: ['challengerOutput'], message: `'${challengerField(p)}' is already the champion's field` });
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
    // Labels need both halves: the port and the param that says how to read it.
    if (params.label && !inputs.labels) throw new Error('`label` needs the `labels` input connected');
    if (!params.label && inputs.labels) throw new Error('the `labels` input needs `label` (field, key, within)');
    const out = { fields, open: input.open };
    if (!params.challenger) return { out } as Record<string, RecordSchema>;
    return { out, shadow: { fields: { ...fields, [challengerField(params)]: { type: 'number' } }, open: input.open } };
  },
  files: (p) => [
    ...(['model', 'challenger'] as const).flatMap((at) => {
      const m = p[at];
      return m?.type === 'onnx' ? [{ path: [at, 'path'], file: m.path, access: 'read' as const }] : [];
    }),
    ...(p.drift && typeof p.drift.reference === 'object' ? [{ path: ['drift', 'reference', 'path'], file: p.drift.reference.path, access: 'read' as const }] : []),
  ],
  expressions: (p) => [
    ...p.features.map((f, i) => ({ path: ['features', i, 'expr'], source: f.expr, port: 'in' })),
    ...(p.label ? [{ path: ['label', 'key'], source: p.label.key, port: 'in' }, { path: ['label', 'key'], source: p.label.key, port: 'labels' }] : []),
  ],
  fields: (p) => (p.label ? [{ path: ['label', 'field'], field: p.label.field, port: 'labels' }] : []),
  // With labels, scored records wait per key for theirs: a key's records and labels must meet
  // in one subtask. Without, each subtask scores what it has.
  partitioning: (p) => (p.label ? { in: { expression: p.label.key }, labels: { expression: p.label.key } } : 'forward'),
  // The pending scored records: the key says what a state key is, within how long they wait.
  stateFingerprint: (p) => ({ labelKey: p.label?.key ?? null, within: p.label ? canonicalDuration(p.label.within) : null }),
});
