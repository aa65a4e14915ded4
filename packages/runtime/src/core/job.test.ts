import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineValidationError } from '@eddy/shared';
import { createJob } from '../api.js';
import { runPipeline } from '../harness/run-pipeline.js';
import { GeneratorSource } from '../connectors/generator/source.js';
import { paramsOf } from '../test-utils/params.js';

const doc = (nodes: unknown[], edges: unknown[], settings: Record<string, unknown> = {}) =>
  ({ format: 'eddy/pipeline@1', name: 't', settings, nodes, edges });

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'eddy-job-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const viewsPerCountry = (limit: number, mode = 'native') => doc([
  
  { id: 'clicks', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 0, limit, seed: 3, outOfOrderness: '3s', startTime: 0 } },
  { id: 'views', kind: 'filter', params: { where: "event_type = 'page_view'" } },
  { id: 'gross', kind: 'map', params: { keep: true, fields: [{ name: 'gross', expr: 'ROUND(price * 1.19, 2)' }] } },
  { id: 'w', kind: 'window', params: { size: '1s', keyBy: ['country'], aggregates: [
    { name: 'views', fn: 'count' }, { name: 'revenue', fn: 'sum', field: 'gross' }, { name: 'p95', fn: 'p95', field: 'price' }] } },
  { id: 'live', kind: 'sink.live', params: { maxRows: 10_000 } },
  { id: 'late', kind: 'sink.live', params: { maxRows: 10_000 } },
], [
  { from: 'clicks', to: 'views' }, { from: 'views', to: 'gross' }, { from: 'gross', to: 'w' },
  { from: 'w', to: 'live' }, { from: 'w', fromPort: 'late', to: 'late' },
], { mode });

describe('Job', () => {
  it('refuses an invalid document with every error', () => {
    expect(() => createJob({ format: 'eddy/pipeline@1', name: 'x', nodes: [{ id: 'a', kind: 'nope' }], edges: [] }, { baseDir: '.' }))
      .toThrow(PipelineValidationError);
  });

  it('runs a bounded pipeline to the end, counting every record', async () => {
    const result = await runPipeline(viewsPerCountry(20_000));
    expect(result.state).toBe('finished');
    const m = result.metrics.nodes;
    expect(m.clicks.recordsOut).toBe(20_000);
    expect(m.views.recordsIn).toBe(20_000);
    const views = result.outputs.views.length;
    expect(m.views.recordsOut).toBe(views);
    // Every page view is either counted in a window or late.
    const counted = result.outputs.w.reduce((s, r) => s + (r.views as number), 0);
    expect(counted + (result.outputs['w.late']?.length ?? 0)).toBe(views);
    expect(m.w.lateRecords).toBe(result.outputs['w.late']?.length ?? 0);
    expect(m.live.recordsIn).toBe(result.outputs.w.length);
    expect(m.w.latencyMs.count).toBeGreaterThan(0);
    expect(m.w.watermark).toBeNull(); // the final watermark is "end of time", not a time
  });

  it('gives the same rows and late records in native and microbatch mode', async () => {
    // Clicks jittered by up to 3 s, read with a 1 s out-of-orderness bound: some arrive late.
    const clicks = new GeneratorSource(paramsOf('source.generator', { scenario: 'clickstream', outOfOrderness: '3s', seed: 5 }), () => 0);
    const input = Array.from({ length: 30_000 }, (_v, i) => clicks.record(i, 0));
    const fromFile = (mode: string) => {
      const d = viewsPerCountry(0, mode);
      d.nodes[0] = { id: 'clicks', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } };
      return d;
    };
    const native = await runPipeline(fromFile('native'), { clicks: input }, { inputChunkSize: 100 });
    const micro = await runPipeline(fromFile('microbatch'), { clicks: input }, { batchIntervalMs: 5, inputChunkSize: 100 });
    expect(native.outputs['w.late']?.length ?? 0).toBeGreaterThan(0);
    expect(micro.sinks.live).toEqual(native.sinks.live);
    expect(micro.sinks.late).toEqual(native.sinks.late);
  });

  it('sends bad lines and unreadable event times to the dead letters and keeps going', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.jsonl'), [
      '{"ts": 1000, "v": 1}', 'not json', '[1,2]', '{"ts": "yesterday", "v": 2}', '{"ts": "1970-01-01T00:00:02Z", "v": "three"}', '{"ts": 2500, "v": 4}',
    ].join('\n'));
    const result = await runPipeline(doc([
      { id: 'src', kind: 'source.file', params: { path: 'in.jsonl', eventTime: { field: 'ts' } } },
      { id: 'm', kind: 'map', params: { fields: [{ name: 'double', expr: 'v * 2' }] } },
      { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl' } },
    ], [{ from: 'src', to: 'm' }, { from: 'm', to: 'out' }]), {}, { baseDir: dir });
    expect(result.state).toBe('finished');
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)))
      .toEqual([{ double: 2 }, { double: 8 }]);
    const reasons = result.deadLetters.map((d) => `${d.nodeId}: ${d.reason}`);
    expect(reasons).toHaveLength(4);
    expect(reasons[0]).toMatch(/^src: jsonl: /);
    expect(reasons[1]).toBe('src: jsonl: a line must hold a JSON object');
    expect(reasons[2]).toMatch(/^src: Event time field 'ts' is not epoch ms or ISO-8601/);
    expect(reasons[3]).toMatch(/^m: map: /);
    expect(result.metrics.nodes.m.errors).toBe(1);
  });

  it('runs an unbounded pipeline until stopped', async () => {
    const job = createJob(doc([
      { id: 'g', kind: 'source.generator', params: { scenario: 'iot', ratePerSec: 2000 } },
      { id: 'live', kind: 'sink.live', params: { maxRows: 5 } },
    ], [{ from: 'g', to: 'live' }]), { baseDir: '.' });
    await job.start();
    expect(job.state).toBe('running');
    const deadline = Date.now() + 10_000;
    while (job.rows('live').length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await job.stop();
    expect((await job.done).state).toBe('stopped');
    expect(job.rows('live')).toHaveLength(5);
    expect(job.rows('live')[0]).toHaveProperty('device_id');
    expect(job.metrics().nodes.g.recordsOut).toBeGreaterThanOrEqual(5);
  });
});
