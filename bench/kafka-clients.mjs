// Kafka client comparison (docs/kafka.md): kafkajs vs @platformatic/kafka on the local broker.
// Not part of npm test. Run: npx eddy kafka start --port 0; npm install --no-save @platformatic/kafka;
// KAFKA_BROKERS=127.0.0.1:PORT node bench/kafka-clients.mjs kafkajs|platformatic|tx
import { Kafka, logLevel } from 'kafkajs';
import { Producer, Consumer, Admin, stringSerializers, stringDeserializers } from '@platformatic/kafka';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const N = Number(process.env.N ?? 200_000);
const BATCH = 1000;
const value = (i) => JSON.stringify({ id: i, ts: 1_700_000_000_000 + i, user: `u${i % 97}`, amount: i % 50, page: '/product/' + (i % 1000) });
const ms = (t) => Math.round(performance.now() - t);

async function kafkajs(topic) {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin(); await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }); await admin.disconnect();
  const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 }); await p.connect();
  let t = performance.now();
  for (let i = 0; i < N; i += BATCH) await p.send({ topic, acks: -1, messages: Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({ key: `u${(i + j) % 97}`, value: value(i + j) })) });
  const produce = ms(t); await p.disconnect();
  const c = kafka.consumer({ groupId: `b-${topic}` }); await c.connect(); await c.subscribe({ topic, fromBeginning: true });
  let n = 0; t = performance.now();
  await new Promise((resolve) => c.run({ eachBatch: async ({ batch }) => { for (const m of batch.messages) JSON.parse(m.value.toString()); n += batch.messages.length; if (n >= N) resolve(); } }));
  const consume = ms(t); await c.disconnect();
  return { produce, consume };
}

async function platformatic(topic) {
  const admin = new Admin({ clientId: 'b', bootstrapBrokers: brokers });
  await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 }); await admin.close();
  await new Promise((r) => setTimeout(r, 1000));
  const p = new Producer({ clientId: 'b', bootstrapBrokers: brokers, serializers: stringSerializers, idempotent: true, acks: -1 });
  let t = performance.now();
  for (let i = 0; i < N; i += BATCH) await p.send({ messages: Array.from({ length: Math.min(BATCH, N - i) }, (_, j) => ({ topic, key: `u${(i + j) % 97}`, value: value(i + j) })) });
  const produce = ms(t); await p.close();
  const c = new Consumer({ groupId: `b-${topic}`, clientId: 'b', bootstrapBrokers: brokers, deserializers: stringDeserializers });
  t = performance.now();
  const stream = await c.consume({ topics: [topic], mode: 'earliest', autocommit: false });
  let n = 0;
  for await (const m of stream) { JSON.parse(m.value); if (++n >= N) break; }
  const consume = ms(t); await stream.close().catch(() => {}); await c.close(true).catch(() => {});
  return { produce, consume };
}

async function transactions() {
  const out = {};
  const topic = `tx-${Date.now()}`;
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin(); await admin.connect(); await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }); await admin.disconnect();
  try {
    const p = kafka.producer({ transactionalId: 'b-kjs', idempotent: true, maxInFlightRequests: 1 }); await p.connect();
    const tx = await p.transaction(); await tx.send({ topic, messages: [{ value: 'x' }] });
    await tx.sendOffsets({ consumerGroupId: 'b-marker', topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }] });
    await tx.commit(); await p.disconnect(); out.kafkajs = 'ok (send + offsets to any group + commit)';
  } catch (e) { out.kafkajs = 'failed: ' + e.message; }
  try {
    const p = new Producer({ clientId: 'b', bootstrapBrokers: brokers, serializers: stringSerializers, transactionalId: 'b-pf', idempotent: true, acks: -1 });
    const tx = await p.beginTransaction(); await tx.send({ messages: [{ topic, value: 'y' }] }); await tx.commit(); await p.close();
    out.platformatic = 'ok (send + commit; offsets only from its own Consumer: addConsumer/addOffset)';
  } catch (e) { out.platformatic = 'failed: ' + e.message; }
  return out;
}

const which = process.argv[2];
const run = which === 'kafkajs' ? kafkajs : platformatic;
if (which === 'tx') console.log(JSON.stringify(await transactions()));
else {
  const r = await run(`bench-${which}-${Date.now()}`);
  console.log(JSON.stringify({ client: which, N, produceMs: r.produce, consumeMs: r.consume, producePerSec: Math.round(N / r.produce * 1000), consumePerSec: Math.round(N / r.consume * 1000) }));
}
process.exit(0);
