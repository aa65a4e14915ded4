import { z } from 'zod';
import { defineKind, duration } from '../define.js';
import { parseIsoTimestamp } from '../../format/iso-timestamp.js';
import { SCENARIOS, SCENARIO_SCHEMAS } from '../scenarios.js';

/** The range of a JavaScript Date: ±100 000 000 days around 1970. */
const MAX_TIME = 8.64e15;

export const sourceGenerator = defineKind({
  kind: 'source.generator',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'Generator',
  doc:
    'Generates realistic events for a scenario (clickstream, ad-events, nexmark, iot), deterministic for a given seed. ' +
    'Event time advances by timeScale·1000/ratePerSec ms per event from `startTime`; `outOfOrderness` jitters it backwards ' +
    'and sets the watermark bound.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    scenario: z.enum(SCENARIOS).default('clickstream'),
    ratePerSec: z.number().min(0).max(10_000_000).default(100).describe('Events per second; 0 = as fast as possible'),
    limit: z.number().int().min(0).default(0).describe('Stop after this many events; 0 = unbounded'),
    seed: z.number().int().default(42),
    outOfOrderness: duration().default('0ms').describe('Maximum backwards jitter of event time'),
    keys: z.number().int().min(1).max(10_000_000).default(1000).describe('Distinct users (devices, bidders)'),
    timeScale: z.number().min(0.001).max(100_000).default(1)
      .describe('Event time runs this many times faster than the wall clock (60: an hour of events in a minute)'),
    startTime: z.union([z.number().min(-MAX_TIME).max(MAX_TIME), z.string()]).optional()
      .refine((v) => typeof v !== 'string' || parseIsoTimestamp(v) !== null,
        'startTime is epoch ms or an ISO-8601 time such as 2024-03-01T00:00:00Z')
      .describe('Event time of the first event (epoch ms or ISO-8601); default: the moment the pipeline starts'),
  }).strict(),
  defaults: { scenario: 'clickstream', ratePerSec: 100, limit: 0, seed: 42, outOfOrderness: '0ms', keys: 1000, timeScale: 1 },
  outputSchema: ({ params }) => ({ out: SCENARIO_SCHEMAS[params.scenario] }),
  bounded: (p) => p.limit > 0,
  // Record i depends only on (seed, i): index ranges are independent pieces. A paced generator stays whole.
  splittable: (p) => !(p.ratePerSec > 0),
  delivery: { source: 'replayable' },
  stampsEventTime: () => true,
  // The offset is an index into the sequence that scenario, seed and keys determine.
  stateFingerprint: (p) => ({ scenario: p.scenario, seed: p.seed, keys: p.keys }),
});
