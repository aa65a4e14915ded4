import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { translateToFlinkSql, validatePipeline } from '@eddy/shared';
import { createJob } from '../../api.js';
import { runPipeline } from '../../harness/run-pipeline.js';
import type { Rec } from '../../core/batch.js';

// The vitest global set-up starts a local broker (or takes KAFKA_BROKERS as given); without one this fails.
const BROKERS = process.env.KAFKA_BROKERS;
const topic = `eddy-test-${process.pid}`;

const doc = (brokers: string, extra: object = {}) => ({
  format: 'eddy/pipeline@1', name: 'kafka',
  nodes: [
    { id: 'src', kind: 'source.kafka', params: { brokers, topic, stopAtEnd: true, eventTime: { field: 'ts' },
      fields: [{ name: 'ts', type: 'number' }, { name: 'user', type: 'string' }], ...extra } },
    { id: 'out', kind: 'sink.kafka', params: { brokers, topic: `${topic}-out`, key: 'user' } },
  ],
  edges: [{ from: 'src', to: 'out' }],
});

describe('Kafka source and sink', () => {
  it('an unreachable cluster fails the deployment with the reason (no hang)', async () => {
    const job = createJob(doc('127.0.0.1:1'), { baseDir: process.cwd() });
    await job.start().catch(() => undefined);
    const outcome = await job.done;
    expect(outcome.state).toBe('failed');
    expect(outcome.error?.message).toMatch(/kafka '(src|out)'/);
  }, 30_000);

  it('Kafka to Kafka is exactly-once; both translate to Flink tables', () => {
    expect(validatePipeline({ ...doc('k:9092'), settings: { guarantee: 'exactly-once' } }).errors).toEqual([]);
    const { sql, ok } = translateToFlinkSql(doc('k1:9092,k2:9092'));
    expect(ok).toBe(true);
    expect(sql).toContain("'connector' = 'kafka',\n  'topic' = '" + topic + "',\n  'properties.bootstrap.servers' = 'k1:9092,k2:9092'");
    expect(sql).toContain("'scan.bounded.mode' = 'latest-offset'");
    expect(sql).toContain("'key.fields' = 'user'");
  });

  it('round trip through a real cluster: every record once, resumable by partition offsets', async () => {
    expect(BROKERS, 'KAFKA_BROKERS (set by the vitest global set-up)').toBeTruthy();
    const kafka = new Kafka({ brokers: BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }, { topic: `${topic}-out`, numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    const records = Array.from({ length: 300 }, (_, i) => ({ ts: 1000 + i, user: `u${i % 7}` }));
    await producer.send({ topic, messages: records.map((r) => ({ key: r.user, value: JSON.stringify(r) })) });
    await producer.disconnect();
    const r = await runPipeline(doc(BROKERS!));
    const read = (r.outputs.src as Rec[]).map((x) => JSON.stringify(x)).sort();
    expect(read).toEqual(records.map((x) => JSON.stringify(x)).sort());
    await admin.deleteTopics({ topics: [topic, `${topic}-out`] });
    await admin.disconnect();
  }, 60_000);
});
