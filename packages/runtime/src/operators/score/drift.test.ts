import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';
import { createJob } from '../../api.js';
import { CheckpointStore } from '../../checkpoint/checkpoint-store.js';
import { binsFromSample, parseReference, psi } from './drift.js';

const doc = (drift: object, extra: object = {}) => ({
  format: 'eddy/pipeline@1', name: 'drift',
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', fields: [{ name: 'x', type: 'number' }] } },
    { id: 's', kind: 'score', params: { features: [{ name: 'x', expr: 'x' }], model: { type: 'linear', weights: { x: 1 } }, drift, ...extra } },
    { id: 'out', kind: 'sink.log', params: {} },
  ],
  edges: [{ from: 'src', to: 's' }, { from: 's', to: 'out' }],
});

describe('drift', () => {
  it('PSI is Σ (actual − expected) · ln(actual / expected), empty bins floored at 1e-4', () => {
    expect(psi([0.25, 0.25, 0.5], [0.25, 0.5, 0.25])).toBeCloseTo(0.5 * Math.log(2), 12);
    expect(psi([0.5, 0.5], [0, 1])).toBeCloseTo((1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 12);
    expect(psi([0.3, 0.7], [0.3, 0.7])).toBe(0);
  });

  it('bins a sample at its quantiles, merging repeated edges', () => {
    expect(binsFromSample([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 2)).toEqual({ edges: [5], proportions: [0.5, 0.5] });
    expect(binsFromSample([1, 1, 1, 1, 2], 4)).toEqual({ edges: [2], proportions: [0.8, 0.2] });
    expect(binsFromSample([NaN], 4)).toBeNull();
  });

  it("'first': the first records make the reference; later ones are compared with it, per feature and for the score", async () => {
    const first = Array.from({ length: 10 }, (_, i) => ({ x: i }));
    const later = Array.from({ length: 10 }, () => ({ x: 7 }));
    const r = await runPipeline(doc({ reference: 'first', records: 10, bins: 2 }), { src: [...first, ...later] });
    // Reference: edge 5, halves. Live: all ten in the upper bin.
    const expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + (1 - 0.5) * Math.log(1 / 0.5);
    expect(r.metrics.nodes.s.model).toMatchObject({ drift: { x: expect.closeTo(expected, 12), score: expect.closeTo(expected, 12) }, drifting: true, challenger: null });
  });

  it('no figures while the reference is still being captured', async () => {
    const r = await runPipeline(doc({ reference: 'first', records: 100 }), { src: [{ x: 1 }, { x: 2 }] });
    expect(r.metrics.nodes.s.model!.drift).toBeUndefined();
  });

  it('a reference file gives bins per feature; drifting only above driftThreshold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-drift-'));
    writeFileSync(join(dir, 'ref.json'), JSON.stringify({ bins: { x: { edges: [1, 2], counts: [1, 1, 2] } } }));
    const src = [{ x: 0 }, { x: 1.5 }, { x: 1.5 }, { x: 3 }]; // live shares 0.25, 0.5, 0.25 against 0.25, 0.25, 0.5
    const low = await runPipeline(doc({ reference: { path: 'ref.json' } }), { src }, { baseDir: dir });
    expect(low.metrics.nodes.s.model).toMatchObject({ drift: { x: expect.closeTo(0.5 * Math.log(2), 12) }, drifting: true });
    expect(low.metrics.nodes.s.model!.drift).not.toHaveProperty('score'); // the file has no bins for it
    const high = await runPipeline(doc({ reference: { path: 'ref.json' } }, { driftThreshold: 0.4 }), { src }, { baseDir: dir });
    expect(high.metrics.nodes.s.model!.drifting).toBe(false);
  });

  it('a reference file that is not bins fails the deploy with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-drift-'));
    writeFileSync(join(dir, 'ref.json'), JSON.stringify({ bins: { x: { edges: [2, 1], counts: [1, 1, 1] } } }));
    await expect(runPipeline(doc({ reference: { path: 'ref.json' } }), { src: [{ x: 1 }] }, { baseDir: dir }))
      .rejects.toThrow(/drift reference ref.json: drift reference 'x': give ascending `edges`/);
    expect(() => parseReference({})).toThrow(/needs `bins`/);
  });

  it("a restore keeps the 'first' reference the run captured, rather than taking a new one", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-drift-'));
    const store = new CheckpointStore(join(dir, 'ckpt'));
    const d = doc({ reference: 'first', records: 10, bins: 2 });
    const tens = Array.from({ length: 10 }, (_, i) => ({ x: i }));
    const first = createJob(d, { baseDir: dir, checkpoints: store, inputs: { src: tens } });
    await first.start();
    expect((await first.done).state).toBe('finished'); // ends with a checkpoint holding the reference
    const restore = await store.load();
    const later = Array.from({ length: 10 }, () => ({ x: 7 }));
    // The source resumes at its offset: past the ten the first run read.
    const second = createJob(d, { baseDir: dir, restore, inputs: { src: [...tens, ...later] } });
    await second.start();
    await second.done;
    expect(second.restorePlan.nodes.find((n) => n.nodeId === 's')?.action).toBe('kept');
    // Against the first run's reference (edge 5, halves), not a reference of these ten sevens (no figures yet then).
    const expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2);
    expect(second.metrics().nodes.s.model!.drift).toEqual({ x: expect.closeTo(expected, 12), score: expect.closeTo(expected, 12) });
  });
});
