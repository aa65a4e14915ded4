import type { NodeKind } from '../../catalog/index.js';
import type { TranslateContext } from '../context.js';
import { columnDefinitions, columnsOf, ident, NotTranslatable, postgresToJdbc, withOptions } from '../sql-text.js';

/**
 * Epoch milliseconds of a TIMESTAMP_LTZ (Flink allows no CAST to a number): whole seconds and the
 * milliseconds of the second, both truncated towards zero, so their sum is exact for negative times too.
 */
export const epochMsOf = (column: string) => `(EXTRACT(EPOCH FROM ${column}) * 1000 + EXTRACT(MILLISECOND FROM ${column}))`;

/**
 * A sink: a table with its input's columns (not the time column) and an INSERT from every
 * input into it. `primaryKey` makes it an upsert table.
 */
function sinkTable<K extends NodeKind>(ctx: TranslateContext<K>, options: Record<string, string | number>, primaryKey: string[] = []) {
  const inputs = ctx.inputs();
  if (inputs.length === 0) throw new NotTranslatable('Its input is not connected');
  const schema = inputs[0].schema;
  const columns = columnsOf(schema, `The input of '${ctx.node.id}'`);
  const types = Object.assign({}, ...inputs.map((r) => r.types)) as Record<string, string>;
  // A TIMESTAMP_LTZ column (a window bound) is written as epoch ms, as Eddy writes it.
  const epochMs = new Set(columns.filter((c) => /^TIMESTAMP_LTZ/.test(types[c] ?? '')));
  const body = [...columnDefinitions(schema, columns, { ...types, ...Object.fromEntries([...epochMs].map((c) => [c, 'BIGINT'])) })];
  if (primaryKey.length) body.push(`  PRIMARY KEY (${primaryKey.map(ident).join(', ')}) NOT ENFORCED`);
  ctx.table(`CREATE TABLE ${ctx.relation()} (\n${body.join(',\n')}\n) ${withOptions(options)};`);
  const list = columns.map((c) => (epochMs.has(c) ? `${epochMsOf(ident(c))} AS ${ident(c)}` : ident(c))).join(', ');
  const selects = inputs.map((r) => `SELECT ${list} FROM ${r.name}`).join('\nUNION ALL\n');
  ctx.insert(`INSERT INTO ${ctx.relation()}\n${selects};`);
}

export function sinkFile(ctx: TranslateContext<'sink.file'>) {
  const p = ctx.node.params;
  ctx.note(`Flink's filesystem sink writes '${p.path}' as a folder of part files, committed on checkpoints (exactly-once); Eddy appends them to one file`);
  sinkTable(ctx, { connector: 'filesystem', path: p.path, format: p.format === 'csv' ? 'csv' : 'json' });
}

export function sinkLog(ctx: TranslateContext<'sink.log'>) {
  const p = ctx.node.params;
  sinkTable(ctx, { connector: 'print', ...(p.prefix && { 'print-identifier': p.prefix }) });
}

export function sinkLive(ctx: TranslateContext<'sink.live'>) {
  ctx.note('The live table is Eddy\'s dashboard: in Flink the rows go to the print connector (the TaskManager log)');
  sinkTable(ctx, { connector: 'print', 'print-identifier': ctx.node.id });
}

export function sinkPostgres(ctx: TranslateContext<'sink.postgres'>) {
  const p = ctx.node.params;
  const options: Record<string, string | number> = { connector: 'jdbc', 'table-name': p.table };
  if (typeof p.url === 'string') {
    const jdbc = postgresToJdbc(p.url);
    if (!jdbc) throw new NotTranslatable(`'${p.url}' is not a postgres:// URL`);
    options.url = jdbc.url;
    if (jdbc.username) options.username = jdbc.username;
    // A valid document holds no password; should one get here, it still never enters the script.
    if (jdbc.password) options.password = '${secret:PASSWORD}';
  } else {
    options.url = `\${secret:${p.url.secret}}`;
    options.username = `\${secret:${p.url.secret}_USERNAME}`;
    options.password = `\${secret:${p.url.secret}_PASSWORD}`;
    ctx.note(`The URL is the secret '${p.url.secret}' in Eddy: replace the \${secret:…} placeholders with its JDBC URL (jdbc:postgresql://host:5432/db), user and password, from your platform's secret store`);
  }
  if (p.createTable) ctx.note(`Flink does not create '${p.table}': create it in Postgres first`);
  if (p.mode === 'append') ctx.note('Append mode: Flink\'s JDBC sink gives at-least-once; use upsert with a key for exactly-once results');
  sinkTable(ctx, options, p.mode === 'upsert' ? p.key : []);
}

export function sinkWebhook(_ctx: TranslateContext<'sink.webhook'>) {
  throw new NotTranslatable('Flink has no built-in HTTP sink: write to Kafka and forward from there, or add an HTTP connector');
}

export function sinkKafka(ctx: TranslateContext<'sink.kafka'>) {
  const p = ctx.node.params;
  if (typeof p.brokers !== 'string') ctx.note(`The brokers are the secret '${p.brokers.secret}' in Eddy: replace \${secret:${p.brokers.secret}} in properties.bootstrap.servers`);
  // Exactly-once as Eddy's sink: a transactional producer whose transaction commits when the checkpoint completes.
  const exactlyOnce = ctx.settings.guarantee === 'exactly-once';
  if (exactlyOnce) {
    ctx.note('Exactly-once: Flink\'s KafkaSink commits a transaction per checkpoint (as Eddy\'s); readers need isolation.level = read_committed. '
      + 'The transactional-id prefix must be unique per job on the cluster');
  }
  sinkTable(ctx, {
    connector: 'kafka', topic: p.topic,
    'properties.bootstrap.servers': typeof p.brokers === 'string' ? p.brokers : `\${secret:${p.brokers.secret}}`,
    format: 'json',
    ...(exactlyOnce
      ? {
        'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': kafkaTransactionalPrefix(ctx.pipelineName, ctx.node.id),
        // Flink's default (1 h) is above a broker's default transaction.max.timeout.ms (15 min), which refuses the producer.
        'properties.transaction.timeout.ms': KAFKA_TRANSACTION_TIMEOUT_MS,
      }
      : { 'sink.delivery-guarantee': 'at-least-once' }),
    ...(p.key && { 'key.format': 'json', 'key.fields': p.key, 'value.fields-include': 'ALL' }),
  });
}

/** A Kafka transaction may stay open this long: the broker's default transaction.max.timeout.ms (15 min). */
export const KAFKA_TRANSACTION_TIMEOUT_MS = 900_000;

/** `eddy.<pipeline>.<node>`, as Eddy's exactly-once sink names its transactional producer (Kafka allows letters, digits, . _ -). */
export const kafkaTransactionalPrefix = (pipeline: string, nodeId: string) => `eddy.${pipeline}.${nodeId}`.replace(/[^A-Za-z0-9._-]/g, '_');
