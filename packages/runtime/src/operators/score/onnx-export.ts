import type { BuiltInModelParams } from './models.js';
import { ProtoWriter } from './protobuf-writer.js';

/*
 * Converts Eddy's JSON models to equivalent ONNX models, written field by field from
 * onnx.proto (field numbers below are the schema's). Every model has one input, `features`,
 * float [N, F] with the features in the given order, and outputs:
 * - linear: `prediction` [N, 1] = X·W + b (MatMul, Add; opset 13)
 * - logistic: `probability` [N, 1] = sigmoid(X·W + b)
 * - tree-ensemble, regression: `prediction` [N, 1] (ai.onnx.ml TreeEnsembleRegressor)
 * - tree-ensemble, binary:logistic: `label` int64 [N] and `probabilities` [N, 2] (TreeEnsembleClassifier)
 * ONNX computes in float32, so scores agree with the JSON model within float32 precision.
 */

const FLOAT = 1;
const INT64 = 7;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;
export const ONNX_INPUT_NAME = 'features';

type Dim = number | string;
type Attribute = { name: string } & ({ f: number } | { i: number } | { s: string } | { floats: number[] } | { ints: number[] } | { strings: string[] });
interface Node { op: string; domain?: string; inputs: string[]; outputs: string[]; attributes?: Attribute[] }

function tensorType(elemType: number, dims: Dim[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().varint(1, d) : new ProtoWriter().string(2, d));
  const tensor = new ProtoWriter().varint(1, elemType).message(2, shape); // TypeProto.Tensor: elem_type, shape
  return new ProtoWriter().message(1, tensor); // TypeProto.tensor_type
}

const valueInfo = (name: string, elemType: number, dims: Dim[], doc?: string) => {
  const v = new ProtoWriter().string(1, name).message(2, tensorType(elemType, dims));
  return doc ? v.string(3, doc) : v;
};

const floatTensor = (name: string, dims: number[], values: number[]) =>
  new ProtoWriter().packedVarints(1, dims).varint(2, FLOAT).packedFloats(4, values).string(8, name);

function attribute(a: Attribute): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  if ('f' in a) return w.float(2, a.f).varint(20, ATTR.FLOAT);
  if ('i' in a) return w.varint(3, a.i).varint(20, ATTR.INT);
  if ('s' in a) return w.string(4, a.s).varint(20, ATTR.STRING);
  if ('floats' in a) return w.packedFloats(7, a.floats).varint(20, ATTR.FLOATS);
  if ('ints' in a) return w.packedVarints(8, a.ints).varint(20, ATTR.INTS);
  for (const s of a.strings) w.string(9, s);
  return w.varint(20, ATTR.STRINGS);
}

function node(n: Node, index: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op}_${index}`).string(4, n.op);
  for (const a of n.attributes ?? []) w.message(5, attribute(a));
  if (n.domain) w.string(7, n.domain);
  return w;
}

interface Graph { nodes: Node[]; initializers: ProtoWriter[]; outputs: ProtoWriter[] }

function linearGraph(features: string[], weights: Record<string, number>, intercept: number, logistic: boolean): Graph {
  const out = logistic ? 'probability' : 'prediction';
  const nodes: Node[] = [
    { op: 'MatMul', inputs: [ONNX_INPUT_NAME, 'weights'], outputs: ['xw'] },
    { op: 'Add', inputs: ['xw', 'intercept'], outputs: [logistic ? 'logit' : out] },
  ];
  if (logistic) nodes.push({ op: 'Sigmoid', inputs: ['logit'], outputs: [out] });
  return {
    nodes,
    initializers: [floatTensor('weights', [features.length, 1], features.map((f) => weights[f] ?? 0)), floatTensor('intercept', [1], [intercept])],
    outputs: [valueInfo(out, FLOAT, ['N', 1])],
  };
}

function treeGraph(features: string[], params: Extract<BuiltInModelParams, { type: 'tree-ensemble' }>): Graph {
  const index = new Map(features.map((f, i) => [f, i]));
  const n = { treeids: [] as number[], nodeids: [] as number[], featureids: [] as number[], values: [] as number[], modes: [] as string[],
    truenodeids: [] as number[], falsenodeids: [] as number[], missing: [] as number[] };
  const leaves = { treeids: [] as number[], nodeids: [] as number[], weights: [] as number[] };
  params.trees.forEach((tree, t) => tree.nodes.forEach((nd, i) => {
    n.treeids.push(t);
    n.nodeids.push(i);
    if ('leaf' in nd) {
      n.featureids.push(0); n.values.push(0); n.modes.push('LEAF'); n.truenodeids.push(0); n.falsenodeids.push(0); n.missing.push(0);
      leaves.treeids.push(t); leaves.nodeids.push(i); leaves.weights.push(nd.leaf);
      return;
    }
    // Eddy goes left when value < threshold: BRANCH_LT's true branch; NULL follows `missing`.
    n.featureids.push(index.get(nd.feature)!); n.values.push(nd.threshold); n.modes.push('BRANCH_LT');
    n.truenodeids.push(nd.left); n.falsenodeids.push(nd.right); n.missing.push(nd.missing === 'left' ? 1 : 0);
  }));
  const structure: Attribute[] = [
    { name: 'nodes_treeids', ints: n.treeids }, { name: 'nodes_nodeids', ints: n.nodeids },
    { name: 'nodes_featureids', ints: n.featureids }, { name: 'nodes_values', floats: n.values },
    { name: 'nodes_modes', strings: n.modes }, { name: 'nodes_truenodeids', ints: n.truenodeids },
    { name: 'nodes_falsenodeids', ints: n.falsenodeids }, { name: 'nodes_missing_value_tracks_true', ints: n.missing },
    { name: 'base_values', floats: [params.baseScore] },
  ];
  if (params.objective === 'regression') {
    return {
      nodes: [{ op: 'TreeEnsembleRegressor', domain: 'ai.onnx.ml', inputs: [ONNX_INPUT_NAME], outputs: ['prediction'], attributes: [...structure,
        { name: 'n_targets', i: 1 }, { name: 'aggregate_function', s: 'SUM' }, { name: 'post_transform', s: 'NONE' },
        { name: 'target_treeids', ints: leaves.treeids }, { name: 'target_nodeids', ints: leaves.nodeids },
        { name: 'target_ids', ints: leaves.treeids.map(() => 0) }, { name: 'target_weights', floats: leaves.weights }] }],
      initializers: [],
      outputs: [valueInfo('prediction', FLOAT, ['N', 1])],
    };
  }
  // Binary classification as XGBoost's ONNX converters write it: one margin (class id 0), the
  // logistic link, and both classes' probabilities out.
  return {
    nodes: [{ op: 'TreeEnsembleClassifier', domain: 'ai.onnx.ml', inputs: [ONNX_INPUT_NAME], outputs: ['label', 'probabilities'], attributes: [...structure,
      { name: 'classlabels_int64s', ints: [0, 1] }, { name: 'post_transform', s: 'LOGISTIC' },
      { name: 'class_treeids', ints: leaves.treeids }, { name: 'class_nodeids', ints: leaves.nodeids },
      { name: 'class_ids', ints: leaves.treeids.map(() => 0) }, { name: 'class_weights', floats: leaves.weights }] }],
    initializers: [],
    outputs: [valueInfo('label', INT64, ['N']), valueInfo('probabilities', FLOAT, ['N', 2])],
  };
}

/** The ONNX model (serialized ModelProto) that scores as `params` does, over `features` in this order. */
export function modelToOnnx(features: string[], params: BuiltInModelParams, name = 'eddy-model'): Uint8Array {
  const g = params.type === 'tree-ensemble' ? treeGraph(features, params) : linearGraph(features, params.weights, params.intercept, params.type === 'logistic');
  const graph = new ProtoWriter();
  g.nodes.forEach((n, i) => graph.message(1, node(n, i)));
  graph.string(2, name);
  for (const t of g.initializers) graph.message(5, t);
  graph.message(11, valueInfo(ONNX_INPUT_NAME, FLOAT, ['N', features.length], `features in order: ${features.join(', ')}`));
  for (const o of g.outputs) graph.message(12, o);
  const model = new ProtoWriter()
    .varint(1, 8) // ir_version 8: opset 13 era, read by every current runtime
    .string(2, 'eddy').string(3, '0.1.0')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').varint(2, 13))
    .message(8, new ProtoWriter().string(1, 'ai.onnx.ml').varint(2, 3))
    // The feature order, for whoever reads the model later (a StringStringEntryProto).
    .message(14, new ProtoWriter().string(1, 'eddy.features').string(2, JSON.stringify(features)));
  return model.finish();
}

/** The features a model file's JSON model uses, in order: its weights' keys, or the trees' features as they first appear. */
export function featuresOf(params: BuiltInModelParams): string[] {
  if (params.type !== 'tree-ensemble') return Object.keys(params.weights);
  const seen = new Set<string>();
  for (const t of params.trees) for (const nd of t.nodes) if ('feature' in nd) seen.add(nd.feature);
  return [...seen];
}
