import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createJob, describeExecution, resolveParallelism } from '../api.js';
import { runPipeline } from '../harness/run-pipeline.js';
import { parsePipeline } from '@eddy/shared';

const golden = fileURLToPath(new URL('../golden/', import.meta.url));
const SOURCE = { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '0ms' } } };
const inOrder = (n: number) => Array.from({ length: n }, (_v, i) => ({ ts: i * 10 }));
const sorted = (rows: Record<string, unknown>[] = []) => rows.map((r) => JSON.stringify(r)).sort();

describe('parallel job', { timeout: 60_000 }, () => {
  it('keeps the subtasks\' keyed state on disk (LMDB, one folder per subtask) with the same rows', async () => {
    const dir = join(golden, 'session-merge');
    const doc = JSON.parse(readFileSync(join(dir, 'pipeline.json'), 'utf8'));
    doc.settings = { ...doc.settings, parallelism: 2 };
    const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
    const stateDir = join(mkdtempSync(join(tmpdir(), 'eddy-par-lmdb-')), 'subtasks');
    let onDisk: string[] = [];
    const result = await runPipeline(doc, {}, { baseDir: dir, subtaskStateDir: stateDir,
      // While the subtasks run, each has its LMDB folder (removed when it closes: checkpoints hold durable state).
      tap: () => { if (!onDisk.length && existsSync(stateDir)) onDisk = readdirSync(stateDir).sort(); } });
    for (const [output, rows] of Object.entries(expected)) expect(sorted(result.outputs[output]), output).toEqual(sorted(rows));
    expect(onDisk).toEqual(['0', '1']);
  });

  it('a session window that reads a few fields gets only those across threads, with the rows of one thread', async () => {
    const doc = (parallelism: number) => ({
      format: 'eddy/pipeline@1', name: 'cut', settings: { parallelism },
      nodes: [
        { id: 'src', kind: 'source.file', params: { path: 'events.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '300ms' } } },
        { id: 'w', kind: 'window', params: { type: 'session', gap: '200ms', keyBy: ['user.id'], aggregates: [
          { name: 'n', fn: 'count' }, { name: 'items', fn: 'count', field: 'item' }, { name: 'kinds', fn: 'count_distinct', field: 'kind' },
          { name: 'first_item', fn: 'first', field: 'item' }, { name: 'last_kind', fn: 'last', field: 'kind' }] } },
        { id: 'out', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
    });
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const events = Array.from({ length: 4000 }, (_, i) => ({
      ts: 1_700_000_000_000 + i * 7 - Math.floor(rnd() * 250) - (i % 397 === 396 ? 3_000 : 0), user: { id: Math.floor(rnd() * 40), name: 'x' },
      ...(rnd() < 0.7 && { item: `i${Math.floor(rnd() * 9)}` }), kind: rnd() < 0.5 ? 'view' : { k: 'buy' }, extra: 'not read',
    }));
    const one = await runPipeline(doc(1), { src: events }, { baseDir: tmpdir(), inputChunkSize: [5, 80, 1] });
    expect(one.outputs.w.length).toBeGreaterThan(100);
    expect(one.outputs['w.late']).toHaveLength(10); // whole records: the tap sees them with no edge from the late port
    for (const mode of ['native', 'microbatch'] as const) {
      for (const p of [2, 3]) {
        const many = await runPipeline(doc(p), { src: events }, { mode, baseDir: tmpdir(), inputChunkSize: [17, 3, 200], batchIntervalMs: 1 });
        expect(sorted(many.outputs.w), `${mode}, parallelism ${p}`).toEqual(sorted(one.outputs.w));
        expect(sorted(many.outputs['w.late']), `${mode}, parallelism ${p}`).toEqual(sorted(one.outputs['w.late']));
      }
    }
    // Only the rows tapped (the bench, the designer's samples of edges): the fields cross cut, no late record reaches the tap.
    const rowsOnly = await runPipeline(doc(2), { src: events }, { baseDir: tmpdir(), inputChunkSize: [17, 3, 200], tapNodes: ['w.out'] });
    expect(sorted(rowsOnly.outputs.w)).toEqual(sorted(one.outputs.w));
    expect(rowsOnly.outputs['w.late']).toBeUndefined();
    expect(rowsOnly.metrics.nodes.w.lateRecords).toBe(10);
    expect(describeExecution(parsePipeline(doc(2)), 2)).toContain('src.out → w.in: by key, only user, item, kind crossing');
  });

  it('gives the same dead letters, figures and late counts as one thread', async () => {
    const doc = (parallelism: number) => ({
      format: 'eddy/pipeline@1', name: 'dl', settings: { parallelism },
      nodes: [
        { id: 'src', kind: 'source.file', params: { path: 'events.jsonl', eventTime: { field: 'ts', maxOutOfOrderness: '500ms' } } },
        // A string where a number belongs fails `v * 2`: a dead letter of the map, which runs in the subtasks.
        { id: 'double', kind: 'map', params: { fields: [{ name: 'k', expr: 'k' }, { name: 'ts', expr: 'ts' }, { name: 'v2', expr: 'v * 2' }] } },
        { id: 'score', kind: 'score', params: { features: [{ name: 'x', expr: 'v2' }], model: { type: 'linear', weights: { x: 0.5 }, intercept: 1 }, output: 's' } },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: ['k'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 's' }] } },
        { id: 'out', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'src', to: 'double' }, { from: 'double', to: 'score' }, { from: 'score', to: 'w' }, { from: 'w', to: 'out' }],
    });
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const events = Array.from({ length: 3000 }, (_, i) => ({
      k: `k${Math.floor(rnd() * 25)}`, ts: 1_700_000_000_000 + i * 10 - Math.floor(rnd() * 800), v: rnd() < 0.05 ? 'oops' : Math.floor(rnd() * 100),
      // Now and then no usable event time: the source's dead letter, taken out of its piece.
      ...(i % 97 === 5 && { ts: 'soon' }),
    }));
    const one = await runPipeline(doc(1), { src: events }, { baseDir: tmpdir(), inputChunkSize: [7, 50, 1, 300] });
    const two = await runPipeline(doc(2), { src: events }, { baseDir: tmpdir(), inputChunkSize: [13, 2, 120] });
    expect(one.deadLetters.length).toBeGreaterThan(50);
    expect(one.deadLetters.filter((d) => d.nodeId === 'src')).toHaveLength(31);
    expect(one.outputs['w.late']?.length ?? 0).toBeGreaterThan(0);
    expect(sorted(two.outputs.w)).toEqual(sorted(one.outputs.w));
    expect(sorted(two.outputs['w.late'])).toEqual(sorted(one.outputs['w.late']));
    expect(two.deadLetters.map((d) => `${d.nodeId} ${d.reason}`).sort()).toEqual(one.deadLetters.map((d) => `${d.nodeId} ${d.reason}`).sort());
    for (const id of ['src', 'double', 'score', 'w', 'out']) {
      const [a, b] = [one.metrics.nodes[id], two.metrics.nodes[id]];
      expect([b.recordsIn, b.recordsOut, b.lateRecords, b.errors], id).toEqual([a.recordsIn, a.recordsOut, a.lateRecords, a.errors]);
    }
    expect(two.metrics.nodes.w.subtasks!.map((s) => s.recordsIn).reduce((x, y) => x + y, 0)).toBe(one.metrics.nodes.w.recordsIn);
    // The file is read in pieces: every subtask parses some (their figures add up to one reader's); the sink runs once.
    expect(two.metrics.nodes.src.subtasks!.map((s) => s.recordsOut).reduce((x, y) => x + y, 0)).toBe(one.metrics.nodes.src.recordsOut);
    expect(two.metrics.nodes.out.subtasks).toBeUndefined();
  });

  it('fails the job naming the node when an operator in a subtask cannot open, and starts nothing else', async () => {
    const job = createJob({
      format: 'eddy/pipeline@1', name: 'bad', settings: { parallelism: 2 },
      nodes: [
        { id: 'src', kind: 'source.generator', params: { scenario: 'clickstream', ratePerSec: 100 } },
        { id: 'enrich', kind: 'lookup', params: { store: 'redis', url: 'redis://127.0.0.1:1', keyField: 'user_id', key: 'user_id', fields: ['segment'] } },
        { id: 'out', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'src', to: 'enrich' }, { from: 'enrich', to: 'out' }],
    }, { baseDir: tmpdir() });
    await job.start();
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toContain('enrich');
  });

  it('says how a document runs: auto is the cores but one; the plan names subtasks, what runs once and the keyed edges', () => {
    expect(resolveParallelism('auto', 2)).toBe(1);
    expect(resolveParallelism('auto', 8)).toBe(7);
    expect(resolveParallelism(undefined, 8)).toBe(1);
    const doc = parsePipeline({
      format: 'eddy/pipeline@1', name: 'plan', settings: { parallelism: 3 },
      nodes: [
        { id: 'src', kind: 'source.generator', params: { scenario: 'clickstream' } },
        { id: 'views', kind: 'filter', params: { where: "event_type = 'view'" } },
        { id: 'w', kind: 'window', params: { size: '1s', keyBy: ['country'], aggregates: [{ name: 'n', fn: 'count' }] } },
        { id: 'out', kind: 'sink.live', params: {} },
      ],
      edges: [{ from: 'src', to: 'views' }, { from: 'views', to: 'w' }, { from: 'w', to: 'out' }],
    });
    expect(describeExecution(doc)).toEqual([
      '3 subtasks run w',
      "src runs once, on the job's thread (one reader)",
      "views runs once, on the job's thread (chained to its source)",
      "out runs once, on the job's thread (one writer)",
      'views.out → w.in: by key, pre-aggregated until each window fires before the exchange, only country crossing',
    ]);
  });

  it('finishes a job with no operator between source and sink: the subtasks parse the pieces, the sink gets them in file order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-direct-'));
    const lines = Array.from({ length: 5000 }, (_v, i) => JSON.stringify({ ts: i * 10, pad: 'x'.repeat(i % 50) }));
    writeFileSync(join(dir, 'in.jsonl'), lines.join('\n') + '\n');
    const doc = {
      format: 'eddy/pipeline@1', name: 'direct', settings: { parallelism: 2 },
      nodes: [{ ...SOURCE, params: { ...SOURCE.params, path: 'in.jsonl' } }, { id: 'out', kind: 'sink.file', params: { path: 'out.jsonl' } }],
      edges: [{ from: 'src', to: 'out' }],
    };
    expect(describeExecution(parsePipeline(doc)).join('\n')).toContain('src is read in pieces');
    const r = await runPipeline(doc, {}, { baseDir: dir });
    expect(r.state).toBe('finished');
    expect(r.metrics.nodes.src.subtasks!.every((s) => s.recordsOut > 0)).toBe(true);
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').split('\n').filter(Boolean)).toEqual(lines);
  });

  it('numbers the malformed lines of a file read in pieces as one reader does (each piece\'s lines counted by its parser)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eddy-bad-lines-'));
    // ~1.3 MB: about 20 pieces. Now and then a line that is not a JSON object, an empty line, a CRLF.
    const lines = Array.from({ length: 20_000 }, (_v, i) =>
      i % 1013 === 7 ? `{"ts":${i * 10},` : i % 1511 === 3 ? `[${i}]` : i % 701 === 0 ? '' : JSON.stringify({ ts: i * 10, pad: 'x'.repeat(i % 60) }) + (i % 3 ? '' : '\r'));
    writeFileSync(join(dir, 'in.jsonl'), lines.join('\n') + '\n');
    const expected = lines.flatMap((text, i) => (text.startsWith('{"ts":') && text.endsWith(',')) || text.startsWith('[') ? [{ line: i + 1, text }] : []);
    const doc = (parallelism: number) => ({
      format: 'eddy/pipeline@1', name: 'bad-lines', settings: { parallelism },
      nodes: [{ ...SOURCE, params: { ...SOURCE.params, path: 'in.jsonl' } },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }] } }],
      edges: [{ from: 'src', to: 'w' }],
    });
    const byLine = (r: Awaited<ReturnType<typeof runPipeline>>) => r.deadLetters.map((d) => d.record as { line: number; text: string }).sort((a, b) => a.line - b.line);
    const one = await runPipeline(doc(1), {}, { baseDir: dir });
    expect(byLine(one)).toEqual(expected);
    for (const parallelism of [2, 3]) {
      const r = await runPipeline(doc(parallelism), {}, { baseDir: dir });
      expect(r.metrics.nodes.src.subtasks!.every((s) => s.recordsOut > 0)).toBe(true);
      expect(byLine(r)).toEqual(expected);
      expect(r.deadLetters.map((d) => d.reason).sort()).toEqual(one.deadLetters.map((d) => d.reason).sort());
      expect(r.outputs.w).toEqual(one.outputs.w);
    }
  });

  // In-order input has no late record at parallelism 1; it must have none at 2 either. The
  // score runs in the subtasks (batches in turn), so the window (all in subtask 0: no keyBy)
  // gets each subtask's output on its own channel, interleaved as the threads run.
  for (const mode of ['native', 'microbatch'] as const) {
    it(`a window behind an exchange judges lateness as at parallelism 1, whatever channel a record came by (${mode})`, async () => {
      const doc = {
        format: 'eddy/pipeline@1', name: 'exchange', settings: { parallelism: 2 },
        nodes: [SOURCE, { id: 's', kind: 'score', params: { features: [{ name: 'x', expr: 'ts' }], model: { type: 'linear', weights: { x: 0 }, intercept: 0 }, output: 'score' } },
          { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }] } }],
        edges: [{ from: 'src', to: 's' }, { from: 's', to: 'w' }],
      };
      expect(describeExecution(parsePipeline(doc))).toContain('s.out → w.in: all to subtask 0 (no key), pre-aggregated until each window fires before the exchange, only event times crossing');
      const r = await runPipeline(doc, { src: inOrder(200) }, { mode, inputChunkSize: 10, batchIntervalMs: 5 });
      expect(r.outputs['w.late'] ?? []).toEqual([]);
      expect(r.outputs.w).toEqual([
        { window_start: 0, window_end: 1000, n: 100 },
        { window_start: 1000, window_end: 2000, n: 100 },
      ]);
    });
  }
});
