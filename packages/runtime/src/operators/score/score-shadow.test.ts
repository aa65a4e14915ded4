import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pairsAuc } from '../../test-utils/pairs-auc.js';
import { validatePipeline } from '@eddy/shared';
import { runPipeline } from '../../harness/run-pipeline.js';
import { partitioningOf } from '../../parallel/partitioner.js';

const MODELS = fileURLToPath(new URL('../../../../../examples/models/', import.meta.url));
const linear = (weights: Record<string, number>, intercept = 0) => ({ type: 'linear', weights, intercept });
const logistic = (weights: Record<string, number>, intercept = 0) => ({ type: 'logistic', weights, intercept });

/** src → score s → sink; extra score params merged in. */
const doc = (score: object, fields = [{ name: 'a', type: 'number' }]) => ({
  format: 'eddy/pipeline@1', name: 'shadow',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', fields } },
    { id: 's', kind: 'score', params: { features: [{ name: 'a', expr: 'a' }], model: linear({ a: 1 }), ...score } },
    { id: 'out', kind: 'sink.log', params: {} },
  ],
  edges: [{ from: 'src', to: 's' }, { from: 's', to: 'out' }],
});

describe('score with a challenger (shadow scoring)', () => {
  it.each(['native', 'microbatch'] as const)('sends the champion to out and both scores to shadow; agreement and |diff| by hand for a regression (%s)', async (mode) => {
    const r = await runPipeline(doc({ challenger: linear({ a: 2 }) }), { src: [{ a: 0 }, { a: 1 }, { a: 2 }, { a: 3 }] }, { mode });
    expect(r.outputs.s).toEqual([{ a: 0, score: 0 }, { a: 1, score: 1 }, { a: 2, score: 2 }, { a: 3, score: 3 }]);
    expect(r.outputs['s.shadow']).toEqual([
      { a: 0, score: 0, challenger_score: 0 }, { a: 1, score: 1, challenger_score: 2 },
      { a: 2, score: 2, challenger_score: 4 }, { a: 3, score: 3, challenger_score: 6 },
    ]);
    // |diff| = 0, 1, 2, 3. Regressions agree when |diff| ≤ 0.01 × max(1, |champion|): only the first.
    // p50 and p95 by nearest rank: the 2nd and the 4th of the sorted four.
    expect(r.metrics.nodes.s.model).toEqual({
      compared: 4, agreement: 0.25, meanAbsDiff: 1.5, p50AbsDiff: 1, p95AbsDiff: 3,
      labelled: 0, champion: { auc: null, logLoss: null }, challenger: { auc: null, logLoss: null },
    });
  });

  it('compares classes at the threshold when the node writes a class, and names the challenger field as asked', async () => {
    const r = await runPipeline(doc({ challenger: linear({ a: -1 }, 1), classOutput: 'flag', challengerOutput: 'c2' }),
      { src: [{ a: 0.2 }, { a: 0.5 }, { a: 0.9 }, { a: 0.6 }, { a: 0.5 }] });
    // champion a, challenger 1 − a: classes (≥ 0.5) agree only where both are 0.5.
    expect(r.outputs['s.shadow'].map((x) => [x.flag, x.c2])).toEqual([[0, 0.8], [1, 0.5], [1, expect.closeTo(0.1, 12)], [1, 0.4], [1, 0.5]]);
    expect(r.outputs.s.every((x) => !('c2' in x))).toBe(true);
    expect(r.metrics.nodes.s.model).toMatchObject({ compared: 5, agreement: 2 / 5 });
  });

  it('an ONNX champion against its JSON twin as challenger: both run per batch, and they agree within float32', async () => {
    const features = ['amount', 'attempts', 'account_age_days'];
    const twin = await import(join(MODELS, 'fraud-trees.json'), { with: { type: 'json' } });
    const payments = Array.from({ length: 60 }, (_, i) => ({ amount: (i * 37) % 900, attempts: i % 7, account_age_days: (i * 13) % 60 }));
    const r = await runPipeline({ ...doc({ features: features.map((name) => ({ name, expr: name })), model: { type: 'onnx', path: 'fraud-trees.onnx' },
      challenger: twin.default.model }, features.map((name) => ({ name, type: 'number' }))) }, { src: payments }, { mode: 'microbatch', baseDir: MODELS });
    expect(r.outputs['s.shadow']).toHaveLength(60);
    const m = r.metrics.nodes.s.model!;
    expect(m).toMatchObject({ compared: 60, agreement: 1 });
    expect(m.p95AbsDiff!).toBeLessThan(1e-6);
  });

  it('a score node without challenger, labels or drift has no model figures and no shadow port', async () => {
    const r = await runPipeline(doc({}), { src: [{ a: 1 }] });
    expect(r.metrics.nodes.s.model).toBeUndefined();
    expect(r.outputs['s.shadow']).toBeUndefined();
  });

  it('validation: a challenger whose features do not fit names the node and the path; shadow field clashes; the labels port and `label` go together', () => {
    const bad = validatePipeline(doc({ challenger: linear({ a: 1, b: 2 }) }));
    expect(bad.ok).toBe(false);
    expect(bad.errors).toContainEqual(expect.objectContaining({ nodeId: 's', path: expect.stringContaining('challenger.weights.b'),
      message: "The challenger uses 'b', which is not among the features" }));
    const clash = validatePipeline(doc({ challenger: linear({ a: 2 }), challengerOutput: 'score' }));
    expect(clash.errors).toContainEqual(expect.objectContaining({ nodeId: 's', message: "'score' is already the champion's field" }));
    const noPort = validatePipeline(doc({ label: { field: 'y', key: 'a', within: '1m' } }));
    expect(noPort.errors).toContainEqual(expect.objectContaining({ nodeId: 's', message: expect.stringContaining('`label` needs the `labels` input connected') }));
    const d = doc({});
    d.edges.push({ from: 'src', to: 's', toPort: 'labels' } as never);
    expect(validatePipeline(d).errors).toContainEqual(expect.objectContaining({ nodeId: 's', message: expect.stringContaining('the `labels` input needs `label`') }));
    // The labels port may stay unconnected.
    expect(validatePipeline(doc({ challenger: linear({ a: 2 }) })).ok).toBe(true);
  });

  it('stays forward without labels, and is keyed by the label key on both ports with them', () => {
    const node = (params: object) => ({ id: 's', kind: 'score', params: { features: [{ name: 'a', expr: 'a' }], model: linear({ a: 1 }), ...params } });
    expect(partitioningOf(node({}))).toBe('forward');
    expect(partitioningOf(node({ label: { field: 'y', key: 'order_id', within: '1m' } })))
      .toEqual({ in: { expression: 'order_id' }, labels: { expression: 'order_id' } });
  });
});


const referenceLogLoss = (p: number[], y: number[]) => -p.reduce((a, pi, i) => a + (y[i] ? Math.log(pi) : Math.log(1 - pi)), 0) / p.length;
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('score with labels', () => {
  // One stream of transactions and labels (in event-time order), split by type: a label follows its transaction.
  const labelled = (events: object[], mode: 'native' | 'microbatch', parallelism = 1) => runPipeline({
    format: 'eddy/pipeline@1', name: 'labels', settings: { parallelism },
    nodes: [
      { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' } } },
      { id: 'txns', kind: 'filter', params: { where: "type = 'txn'" } },
      { id: 'labels', kind: 'filter', params: { where: "type = 'label'" } },
      { id: 's', kind: 'score', params: {
        features: [{ name: 'x', expr: 'x' }], model: logistic({ x: 1 }), challenger: logistic({ x: -0.5 }, 0.2),
        label: { field: 'fraud', key: 'id', within: '10s' } } },
      { id: 'out', kind: 'sink.log', params: {} },
    ],
    edges: [{ from: 'src', to: 'txns' }, { from: 'src', to: 'labels' }, { from: 'txns', to: 's' },
      { from: 'labels', to: 's', toPort: 'labels' }, { from: 's', to: 'out' }],
  }, { src: events }, { mode });

  it.each(['native', 'microbatch'] as const)('joins labels by key within the duration; late and unknown labels are ignored; AUC and log-loss as defined (%s)', async (mode) => {
    const xs = [-2, -1, 0, 0.5, 1, 1.5, 2, 3];
    const txns = xs.map((x, i) => ({ type: 'txn', id: `t${i}`, x, ts: 1000 * i }));
    // Labels for t0..t5 within 10 s; t6's label 11 s after it (late: ignored); t7 none; one for an unknown id.
    const y = [0, 1, 0, 0, 1, 1];
    const labels = [
      ...y.map((fraud, i) => ({ type: 'label', id: `t${i}`, fraud, ts: 1000 * i + 9000 })),
      { type: 'label', id: 't6', fraud: 1, ts: 6000 + 11_000 },
      { type: 'label', id: 'nobody', fraud: 1, ts: 17_500 },
    ];
    const events = [...txns, ...labels].sort((a, b) => a.ts - b.ts);
    const r = await labelled(events, mode);
    expect(r.outputs.s).toHaveLength(8);
    const champion = xs.slice(0, 6).map((x) => sigmoid(x));
    const challenger = xs.slice(0, 6).map((x) => sigmoid(-0.5 * x + 0.2));
    const m = r.metrics.nodes.s.model!;
    expect(m.labelled).toBe(6);
    expect(m.champion.auc).toBeCloseTo(pairsAuc(champion, y), 12);
    expect(m.champion.logLoss).toBeCloseTo(referenceLogLoss(champion, y), 12);
    expect(m.challenger!.auc).toBeCloseTo(pairsAuc(challenger, y), 12);
    expect(m.challenger!.logLoss).toBeCloseTo(referenceLogLoss(challenger, y), 12);
    // Literal figures for the champion: of the 3 × 3 pairs, it ranks (−1 vs 0) and (−1 vs 0.5) wrong.
    expect(m.champion.auc).toBeCloseTo(7 / 9, 12);
    // Every pending record was forgotten by the end (final watermark).
    expect(r.metrics.nodes.s.stateKeys).toBe(0);
  });

  it('a label in time but behind the watermark finds its record forgotten (late: ignored)', async () => {
    const r = await labelled([
      { type: 'txn', id: 'a', x: 1, ts: 0 },
      { type: 'txn', id: 'b', x: 2, ts: 20_000 }, // the watermark passes a's 0 + 10 s: a is forgotten
      { type: 'label', id: 'a', fraud: 1, ts: 5000 }, // within 10 s of a, but late
      { type: 'label', id: 'b', fraud: 0, ts: 21_000 },
    ], 'microbatch');
    expect(r.metrics.nodes.s.model!.labelled).toBe(1);
    expect(r.metrics.nodes.s.model!.champion).toEqual({ auc: null, logLoss: expect.closeTo(-Math.log(1 - sigmoid(2)), 12) });
  });

  it('with two subtasks, each key’s records and labels meet in one: every label in time finds its record', async () => {
    // All transactions first, then their labels in reverse order: a key's two records lie far apart in the stream.
    const txns = Array.from({ length: 40 }, (_, i) => ({ type: 'txn', id: `t${i}`, x: (i % 7) - 3, ts: 100 * i }));
    const labels = Array.from({ length: 40 }, (_, i) => ({ type: 'label', id: `t${39 - i}`, fraud: i % 3 === 0 ? 1 : 0, ts: 4000 + 100 * i }));
    const events = [...txns, ...labels];
    const r = await labelled(events, 'native', 2);
    expect(r.metrics.nodes.s.subtasks).toHaveLength(2);
    expect(r.metrics.nodes.s.model).toMatchObject({ labelled: 40, compared: 40 });
    expect(r.outputs.s).toHaveLength(40);
  });

  it('a label that is not 0 or 1 is a dead letter', async () => {
    const r = await labelled([{ type: 'txn', id: 'a', x: 1, ts: 0 }, { type: 'label', id: 'a', fraud: 'yes', ts: 10 }], 'native');
    expect(r.deadLetters.map((d) => d.reason)).toEqual(["score: label 'fraud' is \"yes\", not 0 or 1"]);
    expect(r.metrics.nodes.s.model!.labelled).toBe(0);
  });
});
