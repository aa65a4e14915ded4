import { z } from 'zod';
import { declaredFields, declaredSchema, defineKind, eventTimeParams, outputName, secretOr } from '../define.js';

const brokers = () => secretOr(z.string().regex(/^[^\s,]+(,[^\s,]+)*$/, 'Brokers as host:port, comma-separated'))
  .default('127.0.0.1:9092').describe('Bootstrap brokers, e.g. kafka1:9092,kafka2:9092, or { "secret": "NAME" }');
const topic = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'A Kafka topic name: letters, digits, ., _ and -');

export const sourceKafka = defineKind({
  kind: 'source.kafka',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'Kafka',
  doc:
    'Reads JSON records from every partition of a Kafka `topic`. The offset of the last record handed on per ' +
    'partition is the checkpoint offset (kept in Eddy\'s checkpoint, as Flink\'s Kafka source does), so a restart ' +
    'resumes exactly there: replayable, exactly-once with a committing sink. Each partition has its own ' +
    'watermark; the source\'s is the minimum over partitions that are not idle (`eventTime.idleTimeout`), as ' +
    'Flink\'s per-partition watermarks. Without a checkpoint it starts at the `group`\'s committed offsets, else ' +
    'at the earliest or latest offset (`startAt`); with a `group` the offsets of each completed checkpoint are ' +
    'also committed to it (for lag monitoring; Eddy\'s checkpoint decides where a restore resumes). `stopAtEnd` ' +
    'finishes at the offsets present at start. Records that are not JSON objects are dead letters. With ' +
    'parallelism above 1, read as fast as possible and without an idle timeout, the subtasks parse the ' +
    'messages (one consumer cuts them in pieces): offsets, watermarks and rows as read by one thread.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    brokers: brokers(),
    topic,
    startAt: z.enum(['earliest', 'latest']).default('earliest').describe('Where to start without a checkpoint'),
    stopAtEnd: z.boolean().default(false).describe('Finish at the end offsets present at start (bounded)'),
    ratePerSec: z.number().min(0).max(10_000_000).default(0).describe('Read at most this many records per second (a backfill that spares the pipeline); 0 = as fast as possible'),
    group: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'A consumer group id: letters, digits, ., _ and -').optional()
      .describe('Join this consumer group: start from its committed offsets when there is no checkpoint, commit to it when a checkpoint completes'),
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: declaredFields(),
  }).strict(),
  defaults: { brokers: '127.0.0.1:9092', topic: 'events', startAt: 'earliest', stopAtEnd: false, ratePerSec: 0 },
  outputSchema: ({ params }) => ({ out: declaredSchema(params) }),
  bounded: (p) => p.stopAtEnd,
  // Read in pieces (subtasks parse the JSON) only as fast as possible and without idleness: a paced
  // read or an idle partition depends on wall-clock time, which pieces read ahead would not keep.
  splittable: (p) => !(p.ratePerSec > 0) && !p.eventTime?.idleTimeout,
  delivery: { source: 'replayable' },
  // Offsets per partition of this topic on this cluster (a broker list holds no credentials).
  stateFingerprint: (p) => ({ brokers: typeof p.brokers === 'string' ? p.brokers : `secret ${p.brokers.secret}`, topic: p.topic }),
});

export const sinkKafka = defineKind({
  kind: 'sink.kafka',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'Kafka',
  doc:
    'Writes records as JSON to a Kafka `topic`. `key` (a field) sets the message key, so a key\'s records stay in ' +
    'order on one partition. At-least-once: an idempotent producer, acks from all in-sync replicas, one send per ' +
    'batch (a slow cluster slows the pipeline); after a restart, replayed records are written again. Exactly-once: ' +
    'a transactional producer (id `eddy.<pipeline>.<node>`) commits the records of each checkpoint in one ' +
    'transaction when the checkpoint completes (two-phase, as Flink\'s KafkaSink); `read_committed` readers see ' +
    'each record once, at checkpoint pace.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    brokers: brokers(),
    topic,
    key: outputName().optional().describe('Field whose value is the message key'),
  }).strict(),
  defaults: { brokers: '127.0.0.1:9092', topic: 'eddy-out' },
  outputSchema: () => ({}),
  fields: (p) => (p.key ? [{ path: ['key'], field: p.key, port: 'in' }] : []),
  delivery: { sink: 'transactional' },
});
