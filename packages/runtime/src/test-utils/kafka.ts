// Test helpers for a real Kafka cluster (KAFKA_BROKERS, set by the vitest global set-up).
import { Kafka, logLevel } from 'kafkajs';

export function testKafka(): Kafka {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: the vitest global set-up starts a local broker');
  return new Kafka({ clientId: 'eddy-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}


/**
 * Every committed record of a topic, as a `read_committed` consumer sees it: a sentinel is
 * produced to each partition first, and the read stops once each sentinel came back, so
 * everything committed before it has been read (an open transaction holds the sentinel back).
 */
export async function readCommitted(kafka: Kafka, topic: string): Promise<string[]> {
  const END = JSON.stringify({ __end_of_test_read: `${Date.now()}-${Math.random()}` });
  const admin = kafka.admin();
  await admin.connect();
  const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.map((p) => p.partitionId);
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: partitions.map((partition) => ({ partition, value: END })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `eddy-test-read-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`, readUncommitted: false });
  const values: string[] = [];
  const pending = new Set(partitions);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          const v = message.value?.toString('utf8') ?? '';
          if (v === END) {
            pending.delete(partition);
            if (pending.size === 0) resolve();
          } else if (!v.startsWith('{"__end_of_test_read"')) values.push(v);
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

export async function createTopic(kafka: Kafka, topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
  await admin.disconnect();
}
