import { z } from 'zod';
import { canonicalDuration } from '../fingerprint.js';
import { defineKind, duration, expression, inputOf } from '../define.js';

export const dedupe = defineKind({
  kind: 'dedupe',
  category: 'transform',
  eventTime: 'uses',
  stateful: true,
  title: 'Deduplicate',
  doc:
    'Drops repeats: the first record of a key passes, and later records of the same key whose event time is ' +
    'less than `within` after it are dropped. Keys are forgotten once the watermark passes that span, so state ' +
    'stays bounded.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params: z.object({
    key: expression().describe('What makes two records the same, e.g. event_id or CONCAT(user_id, page_id)'),
    within: duration({ min: 1 }).describe('How long after the first record repeats are dropped'),
  }).strict(),
  defaults: { key: 'event_id', within: '10m' },
  outputSchema: ({ inputs }) => ({ out: inputOf(inputs) }),
  expressions: (p) => [{ path: ['key'], source: p.key, port: 'in' }],
  // The first event time per key. The key expression defines what a state key means;
  // within is in too: keys are forgotten once the watermark passes first + within, so
  // after a larger one, repeats of keys already forgotten would pass.
  partitioning: (p) => ({ in: { expression: p.key } }),
  stateFingerprint: (p) => ({ key: p.key, within: canonicalDuration(p.within) }),
});
