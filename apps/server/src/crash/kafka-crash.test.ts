// Kafka → Eddy (a keyed event-time window) → Kafka with exactly-once, the server killed -9
// several times: a read_committed reader of the output topic sees exactly the rows of a run
// that never crashed. Against the local broker the vitest global set-up starts (KAFKA_BROKERS).
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { createJob } from '@eddy/runtime';
import { ServerProcess, freePort, seeded, untilFinished } from './server-process.js';

const EVENTS = 20_000;
const brokers = process.env.KAFKA_BROKERS ?? '';

function events(): string[] {
  const rnd = seeded(77);
  return Array.from({ length: EVENTS }, (_, i) => JSON.stringify({
    id: i, ts: 1_700_000_000_000 + i * 20 - Math.floor(rnd() * 1500), user: `u${Math.floor(rnd() * 30)}`, amount: Math.floor(rnd() * 50),
  }));
}

const windowNode = { id: 'w', kind: 'window', params: { type: 'tumbling', size: '1s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'total', fn: 'sum', field: 'amount' }] } };
const eventTime = { field: 'ts', maxOutOfOrderness: '2s' };

const kafkaPipeline = (input: string, output: string) => ({
  format: 'eddy/pipeline@1', name: 'crash kafka',
  settings: { guarantee: 'exactly-once', checkpointIntervalMs: 150, retainedCheckpoints: 2 },
  nodes: [
    { id: 'src', kind: 'source.kafka', params: { brokers, topic: input, stopAtEnd: true, ratePerSec: 5000, eventTime } },
    windowNode,
    { id: 'out', kind: 'sink.kafka', params: { brokers, topic: output, key: 'user' } },
  ],
  edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
});

/** The window rows of a run that never crashed: the same events from a file, in process. */
async function expectedRows(lines: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-ref-'));
  mkdirSync(join(dir, 'in'));
  writeFileSync(join(dir, 'in/events.jsonl'), lines.join('\n') + '\n');
  const doc = {
    format: 'eddy/pipeline@1', name: 'ref',
    nodes: [{ id: 'src', kind: 'source.file', params: { path: 'in/events.jsonl', eventTime } }, windowNode, { id: 'out', kind: 'sink.file', params: { path: 'out/rows.jsonl' } }],
    edges: [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }],
  };
  const job = createJob(doc, { baseDir: dir });
  await job.start();
  await job.done;
  return readFileSync(join(dir, 'out/rows.jsonl'), 'utf8').split('\n').filter(Boolean);
}

/** Every committed record of a topic: read up to a sentinel produced after them (an open transaction holds it back). */
async function readCommitted(kafka: Kafka, topic: string): Promise<string[]> {
  const end = JSON.stringify({ end: Math.random() });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: end }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `eddy-crash-read-${Date.now()}`, readUncommitted: false });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer.run({ eachMessage: async ({ message }) => {
      const v = message.value!.toString('utf8');
      if (v === end) resolve();
      else values.push(v);
    } }).catch(reject);
  });
  await consumer.disconnect();
  return values;
}

const normal = (line: string) => { const r = JSON.parse(line); return [r.user, r.window_start, r.window_end, r.n, r.total].join('|'); };
const counts = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

const running: ServerProcess[] = [];
afterEach(async () => { for (const s of running.splice(0)) await s.kill(); });

describe('crash with Kafka in and out (the local broker)', { timeout: 120_000 }, () => {
  it('exactly-once: a read_committed reader sees every window row once after 6 kills', async () => {
    const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const input = `eddy-crash-in-${process.pid}-${Date.now().toString(36)}`;
    const output = `eddy-crash-out-${process.pid}-${Date.now().toString(36)}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }], waitForLeaders: true });
    const lines = events();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < lines.length; i += 2000) await producer.send({ topic: input, acks: -1, messages: lines.slice(i, i + 2000).map((value) => ({ value })) });
    await producer.disconnect();

    const dir = mkdtempSync(join(tmpdir(), 'eddy-kafka-crash-'));
    const server = new ServerProcess(dir, await freePort());
    running.push(server);
    await server.start();
    const created = await server.api('/api/pipelines', kafkaPipeline(input, output));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await server.api(`/api/pipelines/${id}/deploy`, {})).status).toBe(200);
    const rnd = seeded(4242);
    let resumedFromCheckpoint = 0;
    for (let k = 0; k < 6; k++) {
      await new Promise((r) => setTimeout(r, 150 + Math.floor(rnd() * 450)));
      await server.kill();
      await server.start();
      if ((await server.api(`/api/pipelines/${id}/plan`)).body.current?.checkpointId) resumedFromCheckpoint++;
    }
    await untilFinished(server, id);
    await server.kill();

    const want = (await expectedRows(lines)).map(normal);
    const got = (await readCommitted(kafka, output)).map(normal);
    expect(want.length).toBeGreaterThan(500);
    expect(resumedFromCheckpoint).toBeGreaterThanOrEqual(3);
    expect(got.length).toBe(want.length);
    expect(counts(got)).toEqual(counts(want));
    await admin.deleteTopics({ topics: [input, output] });
    await admin.disconnect();
  }, 180_000);
});
