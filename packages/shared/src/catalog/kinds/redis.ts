import { z } from 'zod';
import { endpoint } from '../fingerprint.js';
import { declaredFields, declaredSchema, defineKind, templateFields, duration, eventTimeParams, secretOr } from '../define.js';

const url = () => secretOr(z.string().regex(/^rediss?:\/\//, 'A Redis URL, e.g. redis://127.0.0.1:6379'))
  .default('redis://127.0.0.1:6379').describe('Server URL, or { "secret": "NAME" }');
const keyName = z.string().min(1).max(512);

export const sourceRedis = defineKind({
  kind: 'source.redis',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'Redis stream',
  doc:
    'Reads the entries of a Redis stream (`XREAD`) in order. The ID of the last entry handed on is the checkpoint ' +
    'offset, so a restart resumes right after it (replayable: exactly-once with a committing sink, as long as the ' +
    'stream still holds the entries). `format: json` reads a JSON object from the entry field `jsonField`; ' +
    '`fields` takes the entry\'s fields as the record (values that read as numbers, true, false or null become ' +
    'those). Without a checkpoint it starts at the first entry or only new ones (`startAt`); `stopAtEnd` finishes ' +
    'after the entries present at start.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    url: url(),
    stream: keyName.describe('Stream key, e.g. events'),
    format: z.enum(['json', 'fields']).default('json'),
    jsonField: z.string().min(1).default('data').describe('json: the entry field holding the record'),
    startAt: z.enum(['first', 'new']).default('first').describe('Where to start without a checkpoint'),
    stopAtEnd: z.boolean().default(false).describe('Finish after the entries present at start (bounded)'),
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: declaredFields(),
  }).strict(),
  defaults: { url: 'redis://127.0.0.1:6379', stream: 'events', format: 'json', jsonField: 'data', startAt: 'first', stopAtEnd: false },
  outputSchema: ({ params }) => ({ out: declaredSchema(params) }),
  bounded: (p) => p.stopAtEnd,
  delivery: { source: 'replayable' },
  // The offset is an entry id of this stream on this server; how entries are parsed does not move it.
  stateFingerprint: (p) => ({ url: endpoint(p.url), stream: p.stream }),
});

export const sinkRedis = defineKind({
  kind: 'sink.redis',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'Redis',
  doc:
    'Writes records to Redis, one pipeline of commands per batch. `mode: hash` sets the record\'s fields on the ' +
    'hash at `key` (a template: `{field}` takes the record\'s value, e.g. `user:{user_id}`) — idempotent, so ' +
    'exactly-once in effect; `ttl` expires it. `mode: stream` appends the record as JSON to the stream at `key` ' +
    '(`XADD`, trimmed to about `maxLen`); `mode: publish` publishes it on the channel `key`. Appends and ' +
    'publishes are at-least-once.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    url: url(),
    mode: z.enum(['hash', 'stream', 'publish']).default('hash'),
    key: keyName.describe('Key, stream or channel; {field} takes the record\'s value, e.g. user:{user_id}'),
    ttl: duration({ min: 1 }).optional().describe('hash: expire the key this long after its last write'),
    maxLen: z.number().int().min(1).optional().describe('stream: keep about this many entries'),
  }).strict(),
  defaults: { url: 'redis://127.0.0.1:6379', mode: 'hash', key: 'eddy:{id}' },
  outputSchema: () => ({}),
  fields: (p) => templateFields(p.key, 'key'),
  delivery: (p) => (p.mode === 'hash'
    ? { sink: 'idempotent' }
    : { sink: 'at-least-once', why: `an ${p.mode === 'stream' ? 'appended entry' : 'published message'} cannot be taken back: after a restart, replayed records are written again (use mode hash for idempotent writes)` }),
});
