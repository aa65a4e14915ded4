import type { ModelParams } from '../../catalog/kinds/score.js';
import type { TranslateContext } from '../context.js';
import { ident, NotTranslatable, sqlOf, TIME } from '../sql-text.js';

const num = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/** One tree as nested CASE: a NULL feature follows `missing`, a value below the threshold goes left (as Eddy's). */
function treeSql(nodes: Extract<ModelParams, { type: 'tree-ensemble' }>['trees'][number]['nodes'], i: number, f: (name: string) => string): string {
  const n = nodes[i];
  if ('leaf' in n) return num(n.leaf);
  const x = f(n.feature);
  const missing = n.missing === 'left' ? n.left : n.right;
  return `CASE WHEN ${x} IS NULL THEN ${treeSql(nodes, missing, f)} WHEN ${x} < ${num(n.threshold)} THEN ${treeSql(nodes, n.left, f)} ELSE ${treeSql(nodes, n.right, f)} END`;
}

function modelSql(model: ModelParams, f: (name: string) => string): string {
  switch (model.type) {
    case 'linear':
    case 'logistic': {
      const sum = [num(model.intercept), ...Object.entries(model.weights).map(([name, w]) => `${num(w)} * ${f(name)}`)].join(' + ');
      return model.type === 'logistic' ? `1.0 / (1.0 + EXP(-(${sum})))` : `(${sum})`;
    }
    case 'tree-ensemble': {
      const sum = [num(model.baseScore), ...model.trees.map((t) => treeSql(t.nodes, 0, f))].join(' + ');
      return model.objective === 'binary:logistic' ? `1.0 / (1.0 + EXP(-(${sum})))` : `(${sum})`;
    }
    case 'onnx':
      throw new NotTranslatable(`Flink SQL has no ONNX runtime: score '${model.path}' in a Flink UDF, or convert the model to a built-in JSON model`);
  }
}

/** Models become arithmetic over the features: no UDF to deploy, the same score as Eddy's. */
export function score(ctx: TranslateContext<'score'>) {
  const p = ctx.node.params;
  // Shadow scoring, label joins and drift exist for the node's model metrics, which Flink SQL has no place for.
  const monitoring = [p.challenger && '`challenger`', p.label && '`label`', p.drift && '`drift`'].filter(Boolean);
  if (monitoring.length) {
    throw new NotTranslatable(`Flink SQL has no model metrics: ${monitoring.join(', ')} run on the embedded engine only; promote or remove the challenger and drop label and drift to export`);
  }
  const input = ctx.input().name;
  // Features first, as columns of a helper view, so the model refers to each by name once.
  const featureView = ctx.helperView('features',
    `SELECT *, ${p.features.map((x) => `CAST(${sqlOf(x.expr)} AS DOUBLE) AS ${ident(`f_${x.name}`)}`).join(', ')}\nFROM ${input}`);
  const f = (name: string) => ident(`f_${name}`);
  const columns = ctx.inputColumns().filter((c) => c !== p.output && c !== p.classOutput);
  const scoreSql = modelSql(p.model, f);
  const outputs = [`${scoreSql} AS ${ident(p.output)}`];
  if (p.classOutput) outputs.push(`CASE WHEN ${scoreSql} IS NULL THEN NULL WHEN ${scoreSql} >= ${num(p.threshold)} THEN 1.0 ELSE 0.0 END AS ${ident(p.classOutput)}`);
  ctx.view(`SELECT ${[...columns.map(ident), ...outputs, TIME].join(', ')}\nFROM ${featureView}`);
}
