import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePipeline, type PipelineDocument } from '@eddy/shared';
import { runPipeline } from '../../harness/run-pipeline.js';
import { createJob } from '../../api.js';
import { CheckpointStore } from '../../checkpoint/checkpoint-store.js';
import type { OperatorContext } from '../../core/operator.js';
import { createTopic, readCommitted, testKafka } from '../../test-utils/kafka.js';
import { KafkaSinkOperator } from './sink.js';

const kafka = testKafka();
const brokers = process.env.KAFKA_BROKERS!;
const unique = (name: string) => `eddy-sink-${name}-${process.pid}-${Date.now().toString(36)}`;
const batch = (records: object[]) => ({ records, times: records.map(() => 0), wms: records.map(() => 0), arrivedAt: 0 }) as never;

const doc = (topic: string, guarantee: string) => ({
  format: 'eddy/pipeline@1', name: 'kafka-sink', settings: { guarantee },
  nodes: [
    { id: 'src', kind: 'source.file', params: { path: 'unused.jsonl' } },
    { id: 'out', kind: 'sink.kafka', params: { brokers, topic, key: 'user' } },
  ],
  edges: [{ from: 'src', to: 'out' }],
});
const input = Array.from({ length: 50 }, (_, i) => ({ i, user: `u${i % 3}` }));
const sorted = (xs: string[]) => xs.map((x) => JSON.parse(x).i as number).sort((a, b) => a - b);

/** The context a sink operator gets, for driving one by hand (as the job would across a crash). */
function sinkContext(pipelineId: string, restored: unknown): OperatorContext {
  const document = validatePipeline(doc('t', 'exactly-once')).document as PipelineDocument;
  return { node: document.nodes[1], pipelineId, document, restored, checkpointed: true, log: () => undefined } as unknown as OperatorContext;
}

describe('sink.kafka', () => {
  it('exactly-once is allowed now (transactional)', () => {
    expect(validatePipeline(doc('t', 'exactly-once')).errors).toEqual([]);
  });

  it('at-least-once and exactly-once (with checkpoints) write every record once', async () => {
    for (const guarantee of ['at-least-once', 'exactly-once']) {
      const topic = unique(guarantee);
      await createTopic(kafka, topic, 2);
      const checkpoints = new CheckpointStore(mkdtempSync(join(tmpdir(), 'eddy-kafka-sink-')), 2);
      await runPipeline(doc(topic, guarantee), { src: input }, { checkpoints });
      expect(sorted(await readCommitted(kafka, topic))).toEqual(input.map((r) => r.i));
    }
  });

  it('exactly-once without checkpoint storage commits at the end', async () => {
    const topic = unique('end');
    await createTopic(kafka, topic, 1);
    await runPipeline(doc(topic, 'exactly-once'), { src: input });
    expect(sorted(await readCommitted(kafka, topic))).toEqual(input.map((r) => r.i));
  });

  it('nothing is visible before the checkpoint completes; a restart fences the crashed producer, aborts its transaction and commits only the epochs after the marker', async () => {
    const topic = unique('restart');
    await createTopic(kafka, topic, 1);
    const pipelineId = unique('p');
    const params = { brokers, topic, key: 'user' };
    const first = new KafkaSinkOperator(params, sinkContext(pipelineId, undefined));
    await first.open();
    await first.processBatch(batch([{ i: 1 }, { i: 2 }]));
    expect(await readCommitted(kafka, topic)).toEqual([]); // not before its checkpoint completes
    first.onCheckpoint({ id: 1, timestamp: 0 });
    await first.onCheckpointComplete(1);
    await first.processBatch(batch([{ i: 3 }]));
    const snapshot2 = first.onCheckpoint({ id: 2, timestamp: 0 }); // durable, but the crash comes before the commit
    await first.processBatch(batch([{ i: 4 }])); // epoch 3: in an open transaction of the crashed process below
    const zombie = (first as unknown as { producer: import('kafkajs').Producer }).producer;
    const open = await zombie.transaction();
    await open.send({ topic, messages: [{ value: JSON.stringify({ i: 99 }) }] });

    const second = new KafkaSinkOperator(params, sinkContext(pipelineId, structuredClone(snapshot2)));
    await second.open(); // restore from checkpoint 2
    expect(sorted(await readCommitted(kafka, topic))).toEqual([1, 2, 3]);
    await expect(open.commit()).rejects.toThrow(); // fenced
    await second.close();
    await zombie.disconnect().catch(() => undefined);
  });

  it('a fresh deployment resets the marker, so its checkpoint ids are not taken as committed', async () => {
    const topic = unique('fresh');
    await createTopic(kafka, topic, 1);
    const pipelineId = unique('p');
    const params = { brokers, topic };
    for (const i of [1, 2]) {
      const op = new KafkaSinkOperator(params, sinkContext(pipelineId, undefined));
      await op.open();
      await op.processBatch(batch([{ i }]));
      op.onCheckpoint({ id: 1, timestamp: 0 });
      await op.onCheckpointComplete(1);
      await op.close();
    }
    const third = new KafkaSinkOperator(params, sinkContext(pipelineId, { pending: [{ checkpointId: 1, records: [{ i: 3 }] }] }));
    await third.open(); // restored: checkpoint 1 is already committed, so nothing is written twice
    await third.close();
    expect(sorted(await readCommitted(kafka, topic))).toEqual([1, 2]);
  });
});
