import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipeline, type CheckpointInfo, type ExecutionMode } from '@eddy/shared';
import { createJob, describeExecution } from '../../api.js';
import { CheckpointStore } from '../../checkpoint/checkpoint-store.js';
import { createTopic, testKafka } from '../../test-utils/kafka.js';

// A real broker (the vitest global set-up's): Kafka read in pieces must give parallelism 1's rows.
const kafka = testKafka();
const brokers = process.env.KAFKA_BROKERS!;
const unique = (name: string) => `eddy-pieces-${name}-${process.pid}-${Date.now().toString(36)}`;
const TOTAL = 30_000;

/**
 * 30000 messages of about 300 bytes (many more than the 16 pieces of 64 KB read ahead at
 * parallelism 2, so a checkpoint lands mid-run), each partition over the same 250 s of event
 * time, out of order within the 1 s bound, about 1 % not JSON objects; a share `late` of them
 * 4 s behind their partition.
 */
async function produce(topic: string, partitions: number, late = 0): Promise<void> {
  await createTopic(kafka, topic, partitions);
  let seed = 5;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const byPartition: string[][] = Array.from({ length: partitions }, () => []);
  for (let i = 0; i < TOTAL; i++) {
    const p = i % partitions;
    const n = byPartition[p].length;
    const r = rnd();
    const user = rnd() < 0.3 ? 'hot' : `u${Math.floor(rnd() * 40)}`;
    const value = r < 0.004 ? 'not json' : r < 0.007 ? '[1,2]' : r < 0.01 ? `{"id":${i},"ts":` : JSON.stringify({
      id: i, ts: 1_700_000_000_000 + n * 25 * (3 / partitions) - Math.floor(rnd() * 900) - (rnd() < late ? 4000 : 0), user, amount: Math.floor(rnd() * 100), pad: 'x'.repeat(150 + (i % 100)),
    });
    byPartition[p].push(value);
  }
  const producer = kafka.producer();
  await producer.connect();
  for (const [partition, values] of byPartition.entries()) {
    for (let i = 0; i < values.length; i += 2000) {
      await producer.send({ topic, acks: -1, messages: values.slice(i, i + 2000).map((value) => ({ partition, value })) });
    }
  }
  await producer.disconnect();
}

const pipelineOf = (topic: string, parallelism: number, mode: ExecutionMode = 'native') => ({
  format: 'eddy/pipeline@1', name: 'kafka-pieces',
  settings: { mode, parallelism, guarantee: 'exactly-once', batchIntervalMs: 5, checkpointIntervalMs: 60_000 },
  nodes: [
    { id: 'src', kind: 'source.kafka', params: { brokers, topic, stopAtEnd: true, eventTime: { field: 'ts', maxOutOfOrderness: '1s' } } },
    { id: 'big', kind: 'filter', params: { where: 'amount >= 5' } },
    { id: 'tax', kind: 'map', params: { keep: true, fields: [{ name: 'taxed', expr: 'amount * 2' }] } },
    { id: 'w', kind: 'window', params: { type: 'tumbling', size: '2s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'taxed' }] } },
    // Count only: pre-aggregated before the exchange.
    { id: 'c', kind: 'window', params: { type: 'tumbling', size: '5s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'most', fn: 'max', field: 'amount' }] } },
    { id: 'out', kind: 'sink.file', params: { path: 'out/rows.jsonl' } },
    { id: 'counts', kind: 'sink.file', params: { path: 'out/counts.jsonl' } },
    { id: 'late', kind: 'sink.file', params: { path: 'out/late.jsonl' } },
  ],
  edges: [{ from: 'src', to: 'big' }, { from: 'big', to: 'tax' }, { from: 'tax', to: 'w' }, { from: 'w', to: 'out' }, { from: 'w', fromPort: 'late', to: 'late' },
    { from: 'src', to: 'c' }, { from: 'c', to: 'counts' }],
});

/** What the sinks wrote, each file's lines sorted (subtasks hand rows of different keys to a sink in any order). */
const read = (dir: string) => Object.fromEntries(['rows', 'late', 'counts'].map((f) => [f, readFileSync(join(dir, `out/${f}.jsonl`), 'utf8').split('\n').filter(Boolean).sort()]));

async function run(doc: object, store?: CheckpointStore, checkpointAfter?: number, dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-pieces-'))) {
  const dead: string[] = [];
  let batches = 0;
  let taken: Promise<CheckpointInfo | null> | undefined;
  const job = createJob(doc, {
    baseDir: dir, checkpoints: store ?? new CheckpointStore(join(dir, 'ckpt'), 2),
    onDeadLetter: (dl) => dead.push(JSON.stringify([dl.nodeId, dl.record, dl.reason])),
    tap: checkpointAfter ? (nodeId) => { if (nodeId === 'src' && ++batches === checkpointAfter) taken = job.checkpoint(); } : undefined,
  });
  await job.start();
  expect((await job.done).state).toBe('finished');
  return { dir, job, out: read(dir), dead: dead.sort(), info: await taken };
}

describe('source.kafka read in pieces (3 partitions)', { timeout: 180_000 }, () => {
  it('gives the rows and dead letters of parallelism 1 at 2 and 3, native and microbatch; a checkpoint at 2 restores at 1', async () => {
    // No record is late however the partitions' batches interleave (that order is the consumer's,
    // and lateness against the minimum over partitions depends on it): the rows are then one answer.
    const topic = unique('three');
    await produce(topic, 3);
    const pipeline = (parallelism: number, mode?: ExecutionMode) => pipelineOf(topic, parallelism, mode);
    const reference = await run(pipeline(1));
    expect(reference.out.rows.length).toBeGreaterThan(500);
    expect(reference.out.late).toEqual([]);
    expect(reference.dead.length).toBeGreaterThan(100);
    expect(reference.dead.some((d) => d.includes(`is not a JSON object`) && d.includes('of partition 2'))).toBe(true);
    const notes = describeExecution(parsePipeline(pipeline(2)));
    expect(notes.join('\n')).toContain('src is read in pieces');
    expect(notes).toContain('src.out → c.in: by key, pre-aggregated until each window fires before the exchange');
    expect(reference.out.counts.length).toBeGreaterThan(500);

    for (const [parallelism, mode] of [[2, 'native'], [2, 'microbatch'], [3, 'native'], [1, 'microbatch']] as const) {
      const r = await run(pipeline(parallelism, mode));
      expect(r.out, `parallelism ${parallelism}, ${mode}`).toEqual(reference.out);
      expect(r.dead, `parallelism ${parallelism}, ${mode}`).toEqual(reference.dead);
      // Every subtask parsed some of the messages.
      if (parallelism > 1) expect(r.job.metrics().nodes.src.subtasks!.every((s) => s.recordsOut > 0)).toBe(true);
    }

    // A checkpoint mid-run at parallelism 2 (the "crash" right after it), restored at 1: the uncrashed output.
    const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-pieces-ckpt-'));
    const store = new CheckpointStore(join(dir, 'ckpt'), 10);
    const first = await run(pipeline(2), store, 1, dir);
    expect(first.info).toBeTruthy();
    expect(first.out).toEqual(reference.out);
    const checkpoint = await store.load({ id: first.info!.id });
    const restored = createJob(pipeline(1), { baseDir: dir, checkpoints: store, restore: checkpoint });
    expect(restored.restorePlan.nodes.every((n) => n.action === 'kept')).toBe(true);
    await restored.start();
    expect((await restored.done).state).toBe('finished');
    const replayed = restored.metrics().nodes.src.recordsOut;
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBeLessThan(TOTAL);
    expect(read(dir)).toEqual(reference.out);
  });

  it('one partition with late records: the same rows and the same late records at 1, 2 and 3', async () => {
    const topic = unique('late');
    await produce(topic, 1, 0.02);
    const reference = await run(pipelineOf(topic, 1));
    expect(reference.out.late.length).toBeGreaterThan(100);
    for (const [parallelism, mode] of [[2, 'native'], [3, 'microbatch']] as const) {
      const r = await run(pipelineOf(topic, parallelism, mode));
      expect(r.out, `parallelism ${parallelism}, ${mode}`).toEqual(reference.out);
      expect(r.dead).toEqual(reference.dead);
    }
  });
});
