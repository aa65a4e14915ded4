import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../harness/run-pipeline.js';
import { createJob } from '../../api.js';
import { CheckpointStore } from '../../checkpoint/checkpoint-store.js';
import type { Rec } from '../../core/batch.js';
import { createTopic, testKafka } from '../../test-utils/kafka.js';

const kafka = testKafka();
const brokers = process.env.KAFKA_BROKERS!;
const unique = (name: string) => `eddy-src-${name}-${process.pid}-${Date.now().toString(36)}`;

async function produce(topic: string, byPartition: Record<number, object[]>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (const [partition, records] of Object.entries(byPartition)) {
    await producer.send({ topic, acks: -1, messages: records.map((r) => ({ partition: Number(partition), value: JSON.stringify(r) })) });
  }
  await producer.disconnect();
}

describe('source.kafka', () => {
  it('per-partition watermarks: a partition far ahead in event time makes no record of another late', async () => {
    const topic = unique('wm');
    await createTopic(kafka, topic, 2);
    const job = createJob({
      format: 'eddy/pipeline@1', name: 'wm',
      nodes: [
        { id: 'src', kind: 'source.kafka', params: { brokers, topic, eventTime: { field: 'ts' } } },
        { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', aggregates: [{ name: 'n', fn: 'count' }] } },
        { id: 'out', kind: 'sink.log', params: {} },
      ],
      edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
    }, { baseDir: process.cwd(), log: () => undefined });
    const until = async (what: () => boolean) => { while (!what()) await new Promise((r) => setTimeout(r, 50)); };
    await job.start();
    try {
      // Partition 0 is read first and is 100 s ahead; one watermark for the whole topic would
      // then make all of partition 1 late. Per partition, partition 1 holds the watermark back.
      await produce(topic, { 0: Array.from({ length: 500 }, (_, i) => ({ ts: 100_000 + i * 10 })) });
      await until(() => job.metrics().nodes.src.recordsOut === 500);
      expect(job.metrics().nodes.w.recordsOut).toBe(0);
      await produce(topic, { 1: Array.from({ length: 500 }, (_, i) => ({ ts: i * 10 })) });
      await until(() => job.metrics().nodes.w.recordsOut >= 4); // partition 1's first windows fire
      expect(job.metrics().nodes.w.lateRecords).toBe(0);
    } finally {
      await job.stop();
    }
  }, 60_000);

  // At parallelism 2 the source is read in pieces: the group is committed the offsets of the delivered pieces.
  it.each([1, 2])('with a group (parallelism %i): commits the offsets of completed checkpoints, and a start without a checkpoint begins there', async (parallelism) => {
    const topic = unique(`group${parallelism}`);
    const group = unique(`g${parallelism}`);
    await createTopic(kafka, topic, 2);
    await produce(topic, { 0: [{ i: 1 }, { i: 2 }], 1: [{ i: 3 }] });
    const doc = {
      format: 'eddy/pipeline@1', name: 'group', settings: { parallelism },
      nodes: [{ id: 'src', kind: 'source.kafka', params: { brokers, topic, group, stopAtEnd: true } }],
      edges: [],
    };
    const checkpoints = new CheckpointStore(mkdtempSync(join(tmpdir(), 'eddy-kafka-group-')), 2);
    const first = await runPipeline(doc, {}, { checkpoints });
    expect((first.outputs.src as Rec[]).map((x) => x.i).sort()).toEqual([1, 2, 3]);
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(committed.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([[0, '2'], [1, '1']]);
    await admin.disconnect();

    await produce(topic, { 0: [{ i: 4 }], 1: [{ i: 5 }] });
    const second = await runPipeline(doc); // no checkpoint: the group's offsets
    expect((second.outputs.src as Rec[]).map((x) => x.i).sort()).toEqual([4, 5]);
  });
});
