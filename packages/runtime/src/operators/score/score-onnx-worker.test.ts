// A deployment runs in a job thread (dist/worker/entry.js): build with `npx tsc -b` first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createJob } from '../../api.js';
import { createWorkerJob } from '../../worker/host.js';
import { modelToOnnx } from './onnx-export.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'eddy-onnx-worker-')); dirs.push(d); return d; };

const features = [{ name: 'price', expr: 'price' }, { name: 'quantity', expr: 'quantity' },
  { name: 'cart', expr: "CASE WHEN event_type IN ('add_to_cart', 'checkout') THEN 1 ELSE 0 END" }];
const logistic = { type: 'logistic' as const, weights: { price: 0.01, quantity: 0.3, cart: 1.5 }, intercept: -2 };
const pipeline = (model: object) => ({
  format: 'eddy/pipeline@1', name: 'onnx in a job thread', settings: { parallelism: 2 },
  nodes: [
    { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 0, limit: 600, seed: 5, startTime: 0 } },
    { id: 'propensity', kind: 'score', params: { features, model, output: 'score' } },
    { id: 'out', kind: 'sink.file', params: { path: 'scored.jsonl' } },
  ],
  edges: [{ from: 'clicks', to: 'propensity' }, { from: 'propensity', to: 'out' }],
});
const scores = (dir: string) => readFileSync(join(dir, 'scored.jsonl'), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l) as { event_id?: string; score: number }).map((r) => r.score).sort((a, b) => a - b);

describe('ONNX scoring in a deployed job', () => {
  it('scores in the job threads (two subtasks) as the JSON model does in process', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'propensity.onnx'), modelToOnnx(['price', 'quantity', 'cart'], logistic));
    const job = createWorkerJob(pipeline({ type: 'onnx', path: 'propensity.onnx' }), { baseDir: dir });
    await job.start();
    expect(await job.done).toEqual({ state: 'finished' });

    const reference = tempDir();
    const json = createJob(pipeline(logistic), { baseDir: reference });
    await json.start();
    expect((await json.done).state).toBe('finished');
    const [got, want] = [scores(dir), scores(reference)];
    expect(got).toHaveLength(600);
    got.forEach((s, i) => expect(s).toBeCloseTo(want[i], 6));
  });

  it('fails the deployment with the reason when the model does not load; the calling process goes on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'propensity.onnx'), Buffer.from([0x08, 0x08, 0x3a, 0xff, 0xff]));
    const job = createWorkerJob(pipeline({ type: 'onnx', path: 'propensity.onnx' }), { baseDir: dir });
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(String((outcome as { error?: Error }).error?.message)).toMatch(/propensity.*The ONNX model propensity.onnx does not load: /);
  });
});
