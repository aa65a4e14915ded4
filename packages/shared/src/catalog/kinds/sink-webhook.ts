import { z } from 'zod';
import { defineKind, duration, secretOr } from '../define.js';

export const sinkWebhook = defineKind({
  kind: 'sink.webhook',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'Webhook',
  doc: 'POSTs records as a JSON array to an HTTP endpoint, at most `batchSize` per request, waiting for each ' +
    'answer — a slow endpoint slows the pipeline down to its pace (backpressure) instead of queueing in memory. ' +
    'A failed request is retried with backoff; after `retries`, its records become dead letters.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    url: secretOr(z.string().regex(/^https?:\/\//, 'An http:// or https:// URL')).describe('Endpoint, e.g. http://localhost:3000/events'),
    batchSize: z.number().int().min(1).max(10_000).default(100).describe('Records per request'),
    timeout: duration({ min: 1, max: 600_000 }).default('10s').describe('Per request'),
    retries: z.number().int().min(0).max(20).default(3).describe('Retries of a failed request before its records go to dead letters'),
  }).strict(),
  defaults: { url: 'http://127.0.0.1:3000/events', batchSize: 100, timeout: '10s', retries: 3 },
  outputSchema: () => ({}),
  delivery: { sink: 'at-least-once', why: 'an HTTP request cannot be taken back: after a restart, replayed records are sent again (make the receiver idempotent)' },
});
