import { z } from 'zod';
import { declaredFields, declaredSchema, defineKind, templateFields, eventTimeParams, outputName, secretOr } from '../define.js';

const url = () => secretOr(z.string().regex(/^(mqtts?|wss?):\/\//, 'An MQTT URL, e.g. mqtt://127.0.0.1:1883'))
  .default('mqtt://127.0.0.1:1883').describe('Broker URL, or { "secret": "NAME" }');
const qos = z.number().int().min(0).max(1).default(1).describe('0: at most once; 1: at least once');

export const sourceMqtt = defineKind({
  kind: 'source.mqtt',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'MQTT',
  doc:
    'Subscribes to an MQTT `topic` (wildcards + and # allowed) and reads each message as a JSON object; the topic ' +
    'it came on is added as `topicField` when set. A message is acknowledged (QoS 1) once it is in the pipeline. ' +
    'MQTT brokers cannot replay: what was in the pipeline at a crash is lost (at-most-once end to end). `limit` ' +
    'stops after that many messages (0: run until stopped). Messages that are not JSON objects are dead letters.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    url: url(),
    topic: z.string().min(1).max(1024).describe('Topic filter, e.g. sensors/+/temperature'),
    qos,
    topicField: outputName().optional().describe('Add the message topic to each record as this field'),
    limit: z.number().int().min(0).default(0).describe('Stop after this many messages; 0 = unbounded'),
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: declaredFields(),
  }).strict(),
  defaults: { url: 'mqtt://127.0.0.1:1883', topic: 'sensors/#', qos: 1, limit: 0 },
  outputSchema: ({ params }) => {
    const schema = declaredSchema(params);
    if (params.topicField && !schema.open) schema.fields[params.topicField] = { type: 'string' };
    return { out: schema };
  },
  bounded: (p) => p.limit > 0,
  delivery: { source: 'not-replayable', why: 'an MQTT broker cannot replay messages: those in the pipeline at a crash are lost' },
});

export const sinkMqtt = defineKind({
  kind: 'sink.mqtt',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'MQTT',
  doc:
    'Publishes each record as a JSON message on `topic` (a template: `{field}` takes the record\'s value, e.g. ' +
    '`alerts/{device_id}`), waiting for the broker\'s acknowledgement at QoS 1 (at-least-once: after a restart, ' +
    'replayed records are published again). `retain` keeps the last message per topic on the broker.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    url: url(),
    topic: z.string().min(1).max(1024).regex(/^[^#+]+$/, 'A topic to publish on has no wildcards').describe('Topic, e.g. alerts/{device_id}'),
    qos,
    retain: z.boolean().default(false),
  }).strict(),
  defaults: { url: 'mqtt://127.0.0.1:1883', topic: 'eddy/out', qos: 1, retain: false },
  outputSchema: () => ({}),
  fields: (p) => templateFields(p.topic, 'topic'),
  delivery: { sink: 'at-least-once', why: 'a published message cannot be taken back: after a restart, replayed records are published again' },
});
