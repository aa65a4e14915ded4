import { z } from 'zod';
import type { RecordSchema, ValueType } from '../schema/record-schema.js';
import { durationProblem, MAX_DURATION_MS } from '../format/duration.js';
import { isReservedName, reservedNameMessage } from '../format/reserved-names.js';

export type Category = 'source' | 'transform' | 'window' | 'join' | 'ml' | 'sink';

export const CATEGORY_TITLES: Record<Category, string> = {
  source: 'Sources',
  transform: 'Transforms',
  window: 'Time & windows',
  join: 'Joins & enrichment',
  ml: 'ML',
  sink: 'Sinks',
};

export interface PortSpec {
  name: string;
  doc?: string;
  /** Several edges may feed this input port (e.g. union). */
  multiple?: boolean;
  /** An input port that may stay unconnected (e.g. score's `labels`). */
  optional?: boolean;
}

/** An expression inside a node's params, checked against the schema of one input port. */
export interface ExpressionRef {
  /** JSON path inside params, e.g. ['fields', 0, 'expr']. */
  path: (string | number)[];
  source: string;
  port: string;
  /** The type the result must have, e.g. boolean for a filter condition. */
  expect?: ValueType;
}

/**
 * A file a node reads or writes, named by a param (e.g. a file source's `path`). The server and
 * the command line check it resolves inside the allowed folders before anything runs.
 */
export interface FileRef {
  /** JSON path inside params, e.g. ['path']. */
  path: (string | number)[];
  file: string;
  access: 'read' | 'write';
}

/** A field name inside a node's params that must exist in an input's schema (e.g. keyBy). */
export interface FieldRef {
  path: (string | number)[];
  field: string;
  port: string;
}

export interface SchemaContext<P> {
  params: P;
  /** Schemas of the connected input ports (an unconnected port is absent). */
  inputs: Record<string, RecordSchema>;
  /** Result type of an expression over an input port's schema ('any' when it does not check). */
  typeOf(expression: string, port?: string): ValueType;
}

/**
 * How a kind treats event time:
 * - `assigns`: a source; it gives each record its event time and emits watermarks (from
 *   its data when it has event time, see `stampsEventTime`, else the ingestion time).
 * - `uses`: its result depends on event time: it fires or forgets on watermarks and has
 *   late records (window, join, dedupe).
 * - `passes`: neither assigns nor depends on it; records keep their time and watermarks
 *   flow on unchanged (a sink ends them).
 */
export type EventTimeTrait = 'assigns' | 'uses' | 'passes';

/**
 * What a node's checkpointed state means, as plain JSON: the params that define how its
 * keyed state, source offsets or pending commits are to be read, by name and canonical
 * (durations in one unit). A restore keeps a node's state only when its fingerprint in
 * the checkpoint equals the current one; otherwise the node starts empty, and the plan
 * names the entries that changed. Values never hold secrets (URLs lose their credentials).
 */
export type StateFingerprint = Record<string, string | number | boolean | null | readonly string[]>;

/**
 * Traits of a kind's state. `stateful`: it keeps keyed state (the state browser shows it,
 * checkpoints hold it); such a kind must say what that state means (`stateFingerprint`).
 * A kind that restores anything else from a checkpoint (a source's offset, a sink's
 * pending commits) gives a fingerprint too, of what that offset or commit refers to.
 */
export type StateTraits<P> =
  | { stateful: true; stateFingerprint(params: P): StateFingerprint }
  | { stateful: false; stateFingerprint?(params: P): StateFingerprint };

/** `C`: the kind's category as a literal type, so the runtime's registry can require a source factory for each source kind. */
export type KindDefinition<K extends string = string, P = unknown, C extends Category = Category> = KindBase<K, P, C> & StateTraits<P>;

interface KindBase<K extends string, P, C extends Category> {
  kind: K;
  category: C;
  /** How the kind treats event time (required: a new kind must say). */
  eventTime: EventTimeTrait;
  /**
   * For `assigns` kinds: true when the records get event time from the data, false when
   * they get ingestion time. Default: the `eventTime` param is set.
   */
  stampsEventTime?(params: P): boolean;
  title: string;
  /** Markdown; the first sentence is the palette tooltip. */
  doc: string;
  inputs: readonly PortSpec[];
  /** Output ports; a function when they depend on params (e.g. route). */
  outputs: readonly PortSpec[] | ((params: P) => PortSpec[]);
  params: z.ZodType<P>;
  /** Params a new node starts with in the designer (must validate). */
  defaults: P;
  /** Output record schema per output port. */
  outputSchema(ctx: SchemaContext<P>): Record<string, RecordSchema>;
  expressions?(params: P): ExpressionRef[];
  fields?(params: P): FieldRef[];
  /** Files the node reads or writes (every param that names a file must be listed here). */
  files?(params: P): FileRef[];
  /** True when the source ends by itself (file, generator with a limit). */
  bounded?(params: P): boolean;
  /**
   * What the kind contributes to delivery guarantees (sources and sinks). A source is
   * replayable when it can resume from a checkpointed offset; a sink gives exactly-once
   * when it commits with checkpoints (transactional) or writes idempotently. `why` says,
   * for the user, why a kind cannot.
   */
  delivery?: Delivery | ((params: P) => Delivery);
  /**
   * How parallel subtasks share the kind's input (settings.parallelism > 1). Absent: each
   * subtask keeps what it has ('forward', stateless kinds). A keyed kind names, per input
   * port, what makes its key, so every record of a key meets in one subtask; 'single' sends
   * everything to one subtask (state without a key, e.g. a window without keyBy).
   */
  partitioning?(params: P): Partitioning;
  /**
   * A source whose input parallel subtasks can read in pieces (a file's line ranges, a
   * generator's index ranges, a Kafka partition's messages): one reader on the job's thread cuts
   * the input and keeps the offsets, the subtasks parse. Absent: the source is read and parsed
   * once, on the job's thread. False whenever pieces could not give parallelism 1's rows (a paced
   * read, an idle timeout: both depend on wall-clock time).
   */
  splittable?(params: P): boolean;
  /**
   * A keyed kind whose input parallel subtasks may combine before the exchange (Flink's
   * local-global aggregation): partial aggregates of a batch's records per key and window cross
   * threads instead of the records. Only where the result is exactly what the records give.
   */
  preAggregatable?(params: P): boolean;
  /**
   * A keyed kind that reads nothing of its input records but the fields `fields` names, and
   * lets nothing else of them leave (no port passes records on, no dead letter can carry one),
   * given the output ports that are connected. A parallel job then sends only those fields
   * across threads (Flink's projection push-down into the exchange).
   */
  projectable?(params: P, connectedPorts: ReadonlySet<string>): boolean;
  /** Params that hold secrets are referenced as { secret: NAME }, never inlined. */
}

/** A key as the operator builds it: from fields (read as the operator reads them) or from one expression. */
export type PartitionKey = { fields: string[] } | { expression: string };
export type Partitioning = 'forward' | 'single' | Record<string, PartitionKey>;

export interface Delivery { source?: 'replayable' | 'not-replayable'; sink?: 'transactional' | 'idempotent' | 'at-least-once' | 'view'; why?: string }

export type AnyKindDefinition = KindDefinition<string, any>;

/** What a node contributes to delivery guarantees (a kind may decide by its params, e.g. a sink's mode). */
export function deliveryOf(def: AnyKindDefinition | undefined, params: unknown): Delivery | undefined {
  const d = def?.delivery;
  return typeof d === 'function' ? d(params) : d;
}

export function defineKind<const K extends string, P, C extends Category>(def: KindDefinition<K, P, C>): KindDefinition<K, P, C> {
  return def;
}

/** For a source: whether its records carry event time from the data (false: ingestion time). */
export function hasEventTime(def: AnyKindDefinition, params: unknown): boolean {
  if (def.eventTime !== 'assigns') return false;
  return def.stampsEventTime ? def.stampsEventTime(params) : (params as { eventTime?: unknown } | null)?.eventTime !== undefined;
}

export function outputPorts<P>(def: KindDefinition<string, P>, params: P): PortSpec[] {
  return typeof def.outputs === 'function' ? def.outputs(params) : [...def.outputs];
}

// --- param building blocks shared by the kinds --------------------------------------------

/** An expression string; the inspector edits it in Monaco, the validator type-checks it. */
export const MAX_EXPRESSION_LENGTH = 10_000;
export const expression = () => z.string().min(1, 'An expression is required')
  .max(MAX_EXPRESSION_LENGTH, `An expression has at most ${MAX_EXPRESSION_LENGTH} characters`).meta({ 'x-eddy': 'expression' });

/** A field of the input records (a dotted path for nested fields). */
export const fieldName = () =>
  z.string().max(256).regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'A field name, e.g. country or cart.total')
    .refine((f) => !f.split('.').some(isReservedName), { error: (i) => reservedNameMessage(String(i.input)) })
    .meta({ 'x-eddy': 'field' });

/** A name a node gives: an output field, an aggregate, a port. Letters, digits and _, not a reserved name. */
export const outputName = (what = 'A field name') =>
  z.string().max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `${what}: letters, digits and _`)
    .refine((n) => !isReservedName(n), { error: (i) => reservedNameMessage(String(i.input)) });

/** A duration param, refused outside [min, max] ms with the limit in the message (default: 0 to 365d). */
export const duration = (bounds: { min?: number; max?: number } = {}) =>
  z.string().superRefine((v, ctx) => {
    const problem = durationProblem(v, bounds.min ?? 0, bounds.max ?? MAX_DURATION_MS);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).meta({ 'x-eddy': 'duration' });

export const eventTimeParams = () =>
  z.object({
    field: fieldName().describe('Field with the event time: epoch milliseconds or an ISO-8601 string (UTC unless it has an offset)'),
    maxOutOfOrderness: duration().default('0ms').describe('How late a record may arrive behind the newest one'),
    idleTimeout: duration().optional().describe('After this long without records the source stops holding back the watermark'),
  }).strict();

/** The `{field}` placeholders of a sink's key or topic template: each must exist in the input (validated like keyBy). */
export const TEMPLATE_FIELD = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
export function templateFields(template: string, param: string): FieldRef[] {
  return [...template.matchAll(TEMPLATE_FIELD)].map((m) => ({ path: [param], field: m[1], port: 'in' }));
}

export type EventTimeParams = z.infer<ReturnType<typeof eventTimeParams>>;

/** A source's declared record fields (type checking and completion downstream; without them the schema is open). */
export const declaredFields = () =>
  z.array(z.object({
    name: fieldName(),
    type: z.enum(['string', 'number', 'integer', 'boolean', 'object', 'array', 'any']).default('string')
      .describe('integer: a whole number (ids, counts, epoch ms) — a number in expressions, BIGINT in Flink'),
  }).strict()).optional().describe('Declared record fields; without them the schema is open');

/** A declared field's type: a value type, or `integer` (a number that is always whole). */
export type DeclaredType = ValueType | 'integer';

/** The output schema of a source with declared fields (the event-time field marked), or an open one. */
export function declaredSchema(p: { fields?: { name: string; type: DeclaredType }[]; eventTime?: { field: string } }): RecordSchema {
  if (!p.fields?.length) return { fields: {}, open: true };
  const fields: RecordSchema['fields'] = {};
  for (const f of p.fields) {
    fields[f.name] = f.type === 'integer'
      ? { type: 'number', integer: true, timestamp: f.name === p.eventTime?.field || undefined }
      : { type: f.type, timestamp: f.name === p.eventTime?.field || undefined };
  }
  return { fields };
}

/** Input schema of port `in`, or an open schema when it is not connected yet. */
export const inputOf = (inputs: Record<string, RecordSchema>, port = 'in'): RecordSchema =>
  inputs[port] ?? { fields: {}, open: true };

/**
 * A value that may be a secret: never inlined in an exported document, referenced as
 * `{ "secret": "NAME" }` and resolved at deploy time from EDDY_SECRET_NAME or the server's
 * secrets.json (packages/runtime/src/core/secrets.ts). A plain value holding a password is
 * refused (validate/credentials.ts).
 */
export const secretOr = (plain: z.ZodString) =>
  z.union([plain, z.object({ secret: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'A secret name in capitals, e.g. PG_URL (given as EDDY_SECRET_PG_URL or in secrets.json)') }).strict()])
    .meta({ 'x-eddy': 'secret' });

export type SecretOr = string | { secret: string };
