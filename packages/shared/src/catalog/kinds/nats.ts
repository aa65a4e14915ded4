import { z } from 'zod';
import { endpoint } from '../fingerprint.js';
import { declaredFields, declaredSchema, defineKind, templateFields, eventTimeParams, secretOr } from '../define.js';

const url = () => secretOr(z.string().regex(/^(nats|tls|wss?):\/\//, 'A NATS URL, e.g. nats://127.0.0.1:4222'))
  .default('nats://127.0.0.1:4222').describe('Server URL, or { "secret": "NAME" }');
const subject = z.string().min(1).max(255).regex(/^[^\s]+$/, 'A NATS subject has no spaces, e.g. orders.created or orders.>');

export const sourceNats = defineKind({
  kind: 'source.nats',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'NATS JetStream',
  doc:
    'Reads JSON messages from a JetStream `stream` (optionally only `subject`), in stream order. The stream ' +
    'sequence of the last record handed on is the checkpoint offset, so a restart resumes exactly there (replayable: ' +
    'exactly-once with a committing sink). Without a checkpoint it starts at the first message or only new ones ' +
    '(`startAt`). With `stopAtEnd` it reads what the stream holds when the pipeline starts and finishes (a backfill). ' +
    'Messages that are not JSON objects are dead letters.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    url: url(),
    stream: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A JetStream stream name: letters, digits, _ and -').describe('JetStream stream'),
    subject: subject.optional().describe('Only messages on this subject (wildcards * and > allowed)'),
    startAt: z.enum(['first', 'new']).default('first').describe('Where to start without a checkpoint'),
    stopAtEnd: z.boolean().default(false).describe('Finish after the messages present at start (bounded)'),
    ratePerSec: z.number().min(0).max(10_000_000).default(0).describe('Read at most this many messages per second (a backfill that spares the pipeline); 0 = as fast as possible'),
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: declaredFields(),
  }).strict(),
  defaults: { url: 'nats://127.0.0.1:4222', stream: 'EVENTS', startAt: 'first', stopAtEnd: false, ratePerSec: 0 },
  outputSchema: ({ params }) => ({ out: declaredSchema(params) }),
  bounded: (p) => p.stopAtEnd,
  delivery: { source: 'replayable' },
  // The offset is a sequence in this stream on this server, counted over this subject's messages.
  stateFingerprint: (p) => ({ url: endpoint(p.url), stream: p.stream, subject: p.subject ?? null }),
});

export const sinkNats = defineKind({
  kind: 'sink.nats',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'NATS',
  doc:
    'Publishes each record as a JSON message on `subject` (a template: `{field}` is replaced by the record\'s ' +
    'value, e.g. `alerts.{device_id}`). With `jetstream` each publish waits for the stream\'s acknowledgement ' +
    '(at-least-once: after a restart, replayed records are published again); without it, core NATS ' +
    'publishes are fire-and-forget.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    url: url(),
    subject: z.string().min(1).max(255).regex(/^[^\s]+$/, 'A NATS subject has no spaces, e.g. alerts or alerts.{device_id}')
      .describe('Subject, e.g. alerts.{device_id}'),
    jetstream: z.boolean().default(true).describe('Wait for a JetStream acknowledgement of each message'),
  }).strict(),
  defaults: { url: 'nats://127.0.0.1:4222', subject: 'eddy.out', jetstream: true },
  outputSchema: () => ({}),
  fields: (p) => templateFields(p.subject, 'subject'),
  delivery: { sink: 'at-least-once', why: 'a published message cannot be taken back: after a restart, replayed records are published again (consumers should dedupe)' },
});
