import { keyFieldName, WINDOW_BOUNDS, type WindowAggregate } from '../../catalog/kinds/window.js';
import { parseDuration } from '../../format/duration.js';
import type { TranslateContext } from '../context.js';
import { ident, interval, NotTranslatable, TIME } from '../sql-text.js';

const WINDOW_BOUND = 'TIMESTAMP_LTZ(3)';
const PERCENTILES = { p50: 0.5, p95: 0.95, p99: 0.99 } as const;
/** The columns Flink's window TVFs add to their input: the window kind's bounds, and Flink's own window_time. */
const WINDOW_COLUMNS = new Set<string>([...WINDOW_BOUNDS, 'window_time']);

function aggregateSql(a: WindowAggregate, column: (name: string) => string): string {
  const f = a.field ? a.field.split('.').map((part, i) => ident(i === 0 ? column(part) : part)).join('.') : '';
  switch (a.fn) {
    case 'count': return a.field ? `COUNT(${f})` : 'COUNT(*)';
    case 'sum': return `SUM(${f})`;
    // Flink's AVG of a BIGINT is a BIGINT (truncated); Eddy's average is a number.
    case 'avg': return `AVG(CAST(${f} AS DOUBLE))`;
    case 'min': return `MIN(${f})`;
    case 'max': return `MAX(${f})`;
    case 'count_distinct': return `COUNT(DISTINCT ${f})`;
    case 'first': return `FIRST_VALUE(${f})`;
    case 'last': return `LAST_VALUE(${f})`;
    case 'p50': case 'p95': case 'p99': return `PERCENTILE(${f}, ${PERCENTILES[a.fn]})`;
  }
}

/** The window table-valued function over a relation, keyed columns already present. */
export function windowTvf(table: string, type: 'tumbling' | 'sliding' | 'session', p: { size?: string; slide?: string; gap?: string }, keys: string[]): string {
  switch (type) {
    case 'tumbling': return `TABLE(TUMBLE(TABLE ${table}, DESCRIPTOR(${TIME}), ${interval(p.size!)}))`;
    case 'sliding': return `TABLE(HOP(TABLE ${table}, DESCRIPTOR(${TIME}), ${interval(p.slide!)}, ${interval(p.size!)}))`;
    case 'session': {
      const partition = keys.length ? ` PARTITION BY ${keys.join(', ')}` : '';
      return `TABLE(SESSION(TABLE ${table}${partition}, DESCRIPTOR(${TIME}), ${interval(p.gap!)}))`;
    }
  }
}

export function window(ctx: TranslateContext<'window'>) {
  const p = ctx.node.params;
  if (ctx.isConnected('late')) {
    throw new NotTranslatable('Its late port is connected: Flink SQL drops late records and has no side output for them');
  }
  if (parseDuration(p.allowedLateness) > 0) {
    // Translating it anyway would give other rows than Eddy (emit final fires later; emit updates re-fires).
    throw new NotTranslatable(`allowedLateness ${p.allowedLateness} (emit ${p.emit}): Flink SQL's window TVFs fire once at the watermark and drop later records, so Flink would give other rows; use 0ms to run it on Flink`);
  }
  if (p.aggregates.some((a) => a.fn in PERCENTILES)) ctx.note('p50/p95/p99: Eddy takes the nearest rank; Flink\'s PERCENTILE interpolates');
  if (p.aggregates.some((a) => a.fn === 'first' || a.fn === 'last')) ctx.note('first/last: Eddy orders by event time; Flink\'s FIRST_VALUE/LAST_VALUE by arrival');
  ctx.note('window_start and window_end are TIMESTAMP_LTZ(3) inside Flink; sinks write them as epoch ms, as Eddy does');
  ctx.note('Late records: Eddy\'s watermark advances with each record, Flink\'s periodically (every 200 ms), so a record Eddy drops as late '
    + 'may still count in Flink; records within maxOutOfOrderness give the same rows on both');

  // Keys as columns: a nested key (cart.country) becomes cart_country, as in Eddy's output. Input columns
  // named as the TVF's own (a window over a window) are renamed, else Flink finds window_start ambiguous.
  const input = ctx.input().name;
  const inFields = Object.keys(ctx.input().schema.fields);
  const clashes = new Set(inFields.filter((c) => WINDOW_COLUMNS.has(c)));
  const column = (name: string) => (clashes.has(name) ? `eddy_in_${name}` : name);
  const nested = p.keyBy.filter((k) => k.includes('.'));
  const nestedKeys = nested.map((k) => `${k.split('.').map((part, i) => ident(i === 0 ? column(part) : part)).join('.')} AS ${ident(keyFieldName(k))}`);
  const renamedColumns = clashes.size ? [...inFields.map((c) => (clashes.has(c) ? `${ident(c)} AS ${ident(column(c))}` : ident(c))), TIME] : ['*'];
  const source = nested.length || clashes.size
    ? ctx.helperView('keyed', `SELECT ${[...renamedColumns, ...nestedKeys].join(', ')}\nFROM ${input}`)
    : input;
  const keys = p.keyBy.map((k) => ident(k.includes('.') ? keyFieldName(k) : column(k)));
  const keyColumns = p.keyBy.map((k, i) => (!k.includes('.') && clashes.has(k) ? `${keys[i]} AS ${ident(k)}` : keys[i]));
  const select = ['window_start', 'window_end', ...keyColumns, ...p.aggregates.map((a) => `${aggregateSql(a, column)} AS ${ident(a.name)}`), `window_time AS ${TIME}`];
  // Counts are BIGINT in Flink (and integers in Eddy); keys keep their input's Flink type.
  const inTypes = ctx.input().types;
  const keyTypes = Object.fromEntries(p.keyBy.map(keyFieldName).filter((k) => inTypes[k]).map((k) => [k, inTypes[k]]));
  const counts = Object.fromEntries(p.aggregates.filter((a) => a.fn === 'count' || a.fn === 'count_distinct').map((a) => [a.name, 'BIGINT']));
  ctx.setTypes({ ...keyTypes, ...counts, window_start: WINDOW_BOUND, window_end: WINDOW_BOUND });
  ctx.view(`SELECT ${select.join(', ')}\nFROM ${windowTvf(source, p.type, p, keys)}\nGROUP BY ${['window_start', 'window_end', 'window_time', ...keys].join(', ')}`);
}
