import { z } from 'zod';
import { declaredFields, declaredSchema, defineKind, eventTimeParams } from '../define.js';


export const sourceHttp = defineKind({
  kind: 'source.http',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'HTTP ingest',
  doc:
    'Records POSTed as JSON (one object or an array of objects) to `/api/ingest/<pipelineId>/<nodeId>` while the ' +
    'pipeline runs. The answer (202) comes once the records are in the pipeline, so a busy pipeline slows its ' +
    'senders; past `maxQueuedRequests` waiting requests the answer is 503 (retry later). Not replayable: a sender ' +
    'should retry a request that got no answer.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: declaredFields(),
    maxQueuedRequests: z.number().int().min(1).max(10_000).default(64).describe('Requests that may wait for the pipeline before 503'),
  }).strict(),
  defaults: { maxQueuedRequests: 64 },
  outputSchema: ({ params }) => ({ out: declaredSchema(params) }),
  delivery: { source: 'not-replayable', why: 'records POSTed over HTTP are not kept for replay: after a restart, what was in flight is lost unless the sender retries' },
});
