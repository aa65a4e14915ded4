import type { NodeKind } from '../../catalog/index.js';
import type { EventTimeParams } from '../../catalog/define.js';
import type { RecordSchema } from '../../schema/record-schema.js';
import type { TranslateContext } from '../context.js';
import { columnDefinitions, columnsOf, ident, interval, NotTranslatable, TIME, withOptions } from '../sql-text.js';

/** The time column of a source table: event time from a field (epoch ms or ISO-8601), or processing time. */
function timeColumn<K extends NodeKind>(ctx: TranslateContext<K>, schema: RecordSchema, eventTime: EventTimeParams | undefined): string[] {
  if (!eventTime) {
    ctx.note('Without eventTime Eddy stamps ingestion time; Flink uses processing time (PROCTIME()) and no watermark');
    return [`  ${TIME} AS PROCTIME()`];
  }
  const field = ident(eventTime.field);
  const type = schema.fields[eventTime.field]?.type;
  const time = type === 'string'
    ? `CAST(TO_TIMESTAMP(REPLACE(REPLACE(${field}, 'T', ' '), 'Z', '')) AS TIMESTAMP_LTZ(3))`
    : `TO_TIMESTAMP_LTZ(${field}, 3)`;
  if (eventTime.idleTimeout) ctx.note(`idleTimeout: set 'table.exec.source.idle-timeout' = '${eventTime.idleTimeout}' (a job-wide option in Flink)`);
  return [`  ${TIME} AS ${time}`, `  WATERMARK FOR ${TIME} AS ${TIME} - ${interval(eventTime.maxOutOfOrderness)}`];
}

/** Event-time fields (epoch ms) stay BIGINT downstream wherever they are copied by name, as Eddy writes them as integers. */
function bigintTimestamps<K extends NodeKind>(ctx: TranslateContext<K>, schema: RecordSchema, columns: string[]) {
  const types: Record<string, string> = {};
  for (const c of columns) if (schema.fields[c]?.timestamp && schema.fields[c]?.type === 'number') types[c] = 'BIGINT';
  ctx.setTypes(types);
}

/** CREATE TABLE for a source: its declared columns, the time column and the watermark. */
function sourceTable<K extends NodeKind>(ctx: TranslateContext<K>, eventTime: EventTimeParams | undefined, options: Record<string, string | number>) {
  const schema = ctx.outputSchema();
  const columns = columnsOf(schema, `Source '${ctx.node.id}'`);
  const body = [...columnDefinitions(schema, columns), ...timeColumn(ctx, schema, eventTime)].join(',\n');
  bigintTimestamps(ctx, schema, columns);
  ctx.table(`CREATE TABLE ${ctx.relation()} (\n${body}\n) ${withOptions(options)};`);
}

export function sourceFile(ctx: TranslateContext<'source.file'>) {
  const p = ctx.node.params;
  const format: Record<string, string> = p.format === 'csv'
    ? { format: 'csv', 'csv.field-delimiter': p.delimiter, 'csv.ignore-parse-errors': 'true' }
    : { format: 'json', 'json.ignore-parse-errors': 'true' };
  if (p.format === 'csv') ctx.note('A CSV file with a header row: Flink reads no header; remove it or skip it upstream');
  if (p.ratePerSec > 0) ctx.note(`ratePerSec ${p.ratePerSec} paces Eddy's reading; Flink reads the file as fast as it can`);
  ctx.note('Unparsable lines are dead letters in Eddy; Flink skips them (ignore-parse-errors)');
  sourceTable(ctx, p.eventTime, { connector: 'filesystem', path: p.path, ...format });
}

export function sourceGenerator(ctx: TranslateContext<'source.generator'>) {
  const p = ctx.node.params;
  const schema = ctx.outputSchema();
  const timeField = Object.entries(schema.fields).find(([, f]) => f.timestamp)?.[0];
  ctx.note(`Eddy's '${p.scenario}' generator has no Flink equivalent: datagen gives random values of the same columns `
    + '(filters on their values will rarely match) and event time is the wall clock. Replace the connector with your real source');
  const options: Record<string, string | number> = { connector: 'datagen' };
  if (p.ratePerSec > 0) options['rows-per-second'] = p.ratePerSec;
  if (p.limit > 0) options['number-of-rows'] = p.limit;
  const columns = columnsOf(schema, `Source '${ctx.node.id}'`);
  const body = [
    ...columnDefinitions(schema, columns),
    `  ${TIME} AS CAST(CURRENT_TIMESTAMP AS TIMESTAMP_LTZ(3))`,
    `  WATERMARK FOR ${TIME} AS ${TIME} - ${interval(p.outOfOrderness)}`,
  ].join(',\n');
  if (timeField) ctx.note(`'${timeField}' is random under datagen; the time column is the generation time instead`);
  bigintTimestamps(ctx, schema, columns);
  ctx.table(`CREATE TABLE ${ctx.relation()} (\n${body}\n) ${withOptions(options)};`);
}

export function sourceHttp(_ctx: TranslateContext<'source.http'>) {
  throw new NotTranslatable('Flink has no HTTP source: have the senders write to Kafka (a Kafka table) instead');
}

export function sourceKafka(ctx: TranslateContext<'source.kafka'>) {
  const p = ctx.node.params;
  if (typeof p.brokers !== 'string') ctx.note(`The brokers are the secret '${p.brokers.secret}' in Eddy: replace \${secret:${p.brokers.secret}} in properties.bootstrap.servers`);
  const fallback = p.startAt === 'earliest' ? 'earliest' : 'latest';
  // As Eddy's source: with a group, start at its committed offsets (else startAt) and commit on each completed
  // checkpoint; without one, commit nothing. Read only committed records (Eddy's consumer reads read_committed).
  const start: Record<string, string> = p.group
    ? { 'properties.group.id': p.group, 'scan.startup.mode': 'group-offsets', 'properties.auto.offset.reset': fallback, 'properties.commit.offsets.on.checkpoint': 'true' }
    : { 'scan.startup.mode': `${fallback}-offset` };
  sourceTable(ctx, p.eventTime, {
    connector: 'kafka', topic: p.topic,
    'properties.bootstrap.servers': typeof p.brokers === 'string' ? p.brokers : `\${secret:${p.brokers.secret}}`,
    ...start,
    'properties.isolation.level': 'read_committed',
    ...(p.stopAtEnd && { 'scan.bounded.mode': 'latest-offset' }),
    format: 'json', 'json.ignore-parse-errors': 'true',
  });
}
