import { z } from 'zod';
import { defineKind, duration, fieldName, inputOf, outputName, type FieldRef } from '../define.js';
import { formatDuration, parseDuration } from '../../format/duration.js';
import { canonicalDuration } from '../fingerprint.js';
import { lookupField, type FieldSchema } from '../../schema/record-schema.js';

/** The fields every window row starts with (epoch ms): the window's bounds. */
export const WINDOW_BOUNDS = ['window_start', 'window_end'] as const;

export const AGGREGATE_FNS = [
  'count', 'sum', 'avg', 'min', 'max', 'count_distinct', 'first', 'last', 'p50', 'p95', 'p99',
] as const;
export type AggregateFn = (typeof AGGREGATE_FNS)[number];

const aggregate = z.object({
  name: outputName(),
  fn: z.enum(AGGREGATE_FNS),
  field: fieldName().optional().describe('Input field; count with a field counts its non-NULL values, without one the rows'),
}).strict();

export type WindowAggregate = z.infer<typeof aggregate>;

/** Output field name of a key path: `cart.country` → `cart_country`. */
export const keyFieldName = (path: string): string => path.replace(/\./g, '_');

/**
 * A sliding window puts each record into size / slide windows: with size 10m and slide 1ms
 * that is 600 000 accumulators per record, which freezes the engine. At most this many.
 */
export const MAX_WINDOWS_PER_RECORD = 1000;

/**
 * Aggregates a parallel job may combine per batch before the exchange (parallel pre-aggregation):
 * those whose result does not depend on the order values come in. Not sum and avg: floating-point
 * addition in another order can change the last digit, and Eddy's answers do not depend on parallelism.
 */
export const PRE_AGGREGATE_FNS: ReadonlySet<AggregateFn> = new Set(['count', 'min', 'max']);

const NUMERIC_FNS: ReadonlySet<AggregateFn> = new Set(['sum', 'avg', 'p50', 'p95', 'p99']);

/** Aggregates that take any value (the others refuse some: numeric ones non-numbers, min and max values they cannot compare). */
const NEVER_REFUSED_FNS: ReadonlySet<AggregateFn> = new Set(['count', 'count_distinct', 'first', 'last']);

/** A duration's ms, or 0 when it is not one (its own check reports that). */
const safeDuration = (d: string): number => { try { return parseDuration(d); } catch { return 0; } };

export const windowKind = defineKind({
  kind: 'window',
  category: 'window',
  eventTime: 'uses',
  stateful: true,
  title: 'Window',
  doc:
    'Groups records by `keyBy` into event-time windows and aggregates each: tumbling (`size`), sliding ' +
    '(`size`, `slide`) or session (`gap`). Windows are aligned to epoch 0 and cover [start, end). A window fires ' +
    'when the watermark passes its end plus `allowedLateness` (`emit: final`), or at its end and again for each ' +
    'allowed late record (`emit: updates`, as Flink; rows carry the window and key, so an upsert sink keeps the latest); ' +
    'later records go to the `late` port. Rows carry ' +
    '`window_start`, `window_end` (epoch ms), the key fields and one field per aggregate. As in SQL, aggregates ' +
    'skip NULL values: `count` with a `field` is COUNT(field), the non-NULL values; without one, COUNT(*), the rows.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }, { name: 'late', doc: 'Records that arrived after their window fired' }],
  params: z.object({
    type: z.enum(['tumbling', 'sliding', 'session']).default('tumbling'),
    size: duration({ min: 1 }).optional().describe('Window length (tumbling, sliding)'),
    slide: duration({ min: 1 }).optional().describe(`How far a sliding window advances; at least size / ${MAX_WINDOWS_PER_RECORD} (a record is in at most ${MAX_WINDOWS_PER_RECORD} windows)`),
    gap: duration({ min: 1 }).optional().describe('Inactivity that closes a session'),
    keyBy: z.array(fieldName()).max(20).default([]).describe('Fields to group by'),
    aggregates: z.array(aggregate).min(1, 'Add at least one aggregate').max(100),
    allowedLateness: duration().default('0ms').describe('How long after its end a window still takes late records'),
    emit: z.enum(['final', 'updates']).default('final')
      .describe('final: one row per window once allowedLateness has passed; updates: a row when the watermark passes the end, and an updated one for each late record (as Flink)'),
  }).strict().superRefine((p, ctx) => {
    if (p.type !== 'session' && !p.size) ctx.addIssue({ code: 'custom', path: ['size'], message: `A ${p.type} window needs a size` });
    if (p.type === 'sliding' && !p.slide) ctx.addIssue({ code: 'custom', path: ['slide'], message: 'A sliding window needs a slide' });
    if (p.type === 'session' && !p.gap) ctx.addIssue({ code: 'custom', path: ['gap'], message: 'A session window needs a gap' });
    if (p.type === 'sliding' && p.size && p.slide) {
      const size = safeDuration(p.size);
      const slide = safeDuration(p.slide);
      if (size > 0 && slide > 0 && Math.ceil(size / slide) > MAX_WINDOWS_PER_RECORD) {
        ctx.addIssue({ code: 'custom', path: ['slide'], message:
          `A sliding window of size ${p.size} and slide ${p.slide} puts each record into ${Math.ceil(size / slide).toLocaleString('en-US')} windows; ` +
          `at most ${MAX_WINDOWS_PER_RECORD} are allowed: make the slide at least ${formatDuration(Math.ceil(size / MAX_WINDOWS_PER_RECORD))}` });
      }
    }
    const seen = new Set<string>([...WINDOW_BOUNDS, ...p.keyBy.map(keyFieldName)]);
    p.aggregates.forEach((a, i) => {
      if (a.fn !== 'count' && !a.field) ctx.addIssue({ code: 'custom', path: ['aggregates', i, 'field'], message: `${a.fn} needs a field` });
      if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['aggregates', i, 'name'], message: `Output field '${a.name}' is defined twice` });
      seen.add(a.name);
    });
  }),
  defaults: { type: 'tumbling', size: '10s', keyBy: [], aggregates: [{ name: 'count', fn: 'count' }], allowedLateness: '0ms', emit: 'final' },
  outputSchema: ({ params, inputs }) => {
    const input = inputOf(inputs);
    const fields: Record<string, FieldSchema> = {
      window_start: { type: 'number', integer: true, timestamp: true, doc: 'Window start, epoch ms' },
      window_end: { type: 'number', integer: true, doc: 'Window end (exclusive), epoch ms' },
    };
    const whole = (f: FieldSchema | undefined) => (f?.type === 'number' && (f.integer || f.timestamp) ? { integer: true } : {});
    for (const k of params.keyBy) {
      const key = lookupField(input, k.split('.'));
      fields[keyFieldName(k)] = { type: key?.type ?? 'any', ...whole(key) };
    }
    for (const a of params.aggregates) {
      const field = a.field ? lookupField(input, a.field.split('.')) : undefined;
      const source = field?.type ?? 'any';
      const type = a.fn === 'count' || a.fn === 'count_distinct' || NUMERIC_FNS.has(a.fn) ? 'number' : source;
      // Counts are whole; a sum, min, max, first or last of whole numbers is whole (an average is not).
      const integer = a.fn === 'count' || a.fn === 'count_distinct' || (a.fn !== 'avg' && !a.fn.startsWith('p') && whole(field).integer);
      fields[a.name] = { type, ...(integer && { integer: true }) };
    }
    return { out: { fields }, late: input };
  },
  fields: (p) => {
    const refs: FieldRef[] = p.keyBy.map((field, i) => ({ path: ['keyBy', i], field, port: 'in' }));
    p.aggregates.forEach((a, i) => { if (a.field) refs.push({ path: ['aggregates', i, 'field'], field: a.field, port: 'in' }); });
    return refs;
  },
  // The state is one accumulator per aggregate (by position) per window and key. What that
  // means: the window shape (a 10 s window is not two 5 s ones), the key, and each
  // aggregate's function and field in order — not its output name, which is applied when
  // a window fires, so renaming keeps the state. allowedLateness is in too: windows fire
  // and are forgotten at end + lateness, so with a larger one a late record would open a
  // fresh window of a key already fired and emit a second, partial row for it. emit too.
  partitioning: (p) => (p.keyBy.length ? { in: { fields: p.keyBy } } : 'single'),
  // count, min and max combine from partials in any order (sessions merge by gap: not here).
  preAggregatable: (p) => p.type !== 'session' && p.aggregates.every((a) => PRE_AGGREGATE_FNS.has(a.fn)),
  // Late records leave whole on `late`; a refused value (sum of a string, min of mixed types)
  // makes a dead letter of the whole record: only without both may records cross cut down.
  projectable: (p, ports) => !ports.has('late') && p.aggregates.every((a) => NEVER_REFUSED_FNS.has(a.fn)),
  stateFingerprint: (p) => ({
    type: p.type,
    ...(p.type === 'session' ? { gap: canonicalDuration(p.gap) } : { size: canonicalDuration(p.size) }),
    ...(p.type === 'sliding' ? { slide: canonicalDuration(p.slide) } : {}),
    keyBy: p.keyBy,
    aggregates: p.aggregates.map((a) => (a.field ? `${a.fn}(${a.field})` : a.fn)),
    allowedLateness: canonicalDuration(p.allowedLateness),
    // final and updates keep different timers (one clean-up vs. a firing and a clean-up) in the checkpoint.
    emit: p.emit,
  }),
});
