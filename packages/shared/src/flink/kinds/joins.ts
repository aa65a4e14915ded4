import type { TranslateContext } from '../context.js';
import { columnType, ident, interval, literal, NotTranslatable, postgresToJdbc, sqlOf, TIME, withOptions } from '../sql-text.js';
import { windowTvf } from './windows.js';

/** Left columns as they are, right ones renamed right_<name> where the left has the name (as Eddy's join). */
function joinedColumns(left: string[], right: string[]): string[] {
  const l = new Set(left);
  return [...left.map((c) => `L.${ident(c)}`), ...right.map((c) => (l.has(c) ? `R.${ident(c)} AS ${ident(`right_${c}`)}` : `R.${ident(c)}`))];
}

export function join(ctx: TranslateContext<'join'>) {
  const p = ctx.node.params;
  const left = ctx.inputColumns('left');
  const right = ctx.inputColumns('right');
  const kind = p.type === 'left' ? 'LEFT JOIN' : 'JOIN';
  const keyed = (port: 'left' | 'right', key: string) => ctx.helperView(port, `SELECT *, ${sqlOf(key)} AS eddy_key FROM ${ctx.input(port).name}`);
  const l = keyed('left', p.leftKey);
  const r = keyed('right', p.rightKey);
  const columns = [...joinedColumns(left, right), `L.${TIME}`].join(', ');
  if (p.within) {
    const w = interval(p.within);
    ctx.view(`SELECT ${columns}\nFROM ${l} AS L\n${kind} ${r} AS R\n  ON L.eddy_key = R.eddy_key\n`
      + `  AND R.${TIME} BETWEEN L.${TIME} - ${w} AND L.${TIME} + ${w}`);
    return;
  }
  ctx.note('A window join emits when the window fires; its rows carry the left record\'s time as Eddy\'s do');
  const tvf = (t: string) => `(SELECT * FROM ${windowTvf(t, 'tumbling', { size: p.window }, [])})`;
  ctx.view(`SELECT ${columns}\nFROM ${tvf(l)} AS L\n${kind} ${tvf(r)} AS R\n  ON L.eddy_key = R.eddy_key\n`
    + '  AND L.window_start = R.window_start AND L.window_end = R.window_end');
}

/** The largest inline table turned into CASE expressions; past it a Flink lookup table (JDBC) is the way. */
const MAX_INLINE_ROWS = 10_000;

export function lookup(ctx: TranslateContext<'lookup'>) {
  const p = ctx.node.params;
  if (p.store === 'redis') {
    throw new NotTranslatable('Flink has no built-in Redis lookup connector: serve the table from a JDBC database (or add a Redis connector) and use a postgres lookup');
  }
  if (p.store === 'memory' && !p.rows) {
    throw new NotTranslatable(`The table is read from '${p.path}' at start: in Flink, put it in a lookup table (JDBC, HBase) and join with FOR SYSTEM_TIME AS OF`);
  }
  if (p.rows && p.rows.length > MAX_INLINE_ROWS) throw new NotTranslatable(`${p.rows.length} inline rows are too many to inline; use a Flink lookup table (JDBC)`);
  if (p.onMiss === 'dead-letter') throw new NotTranslatable('onMiss dead-letter: Flink SQL has no dead-letter output; choose null or drop');
  if (!p.rows) return jdbcLookup(ctx);
  const rows = p.rows;
  // Inline rows become a CASE per column, keyed by the lookup key: a stateless map that keeps the time attribute.
  const key = sqlOf(p.key);
  const inputColumns = ctx.inputColumns();
  const added = p.fields.length ? p.fields : [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== p.keyField);
  const value = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? literal(JSON.stringify(v)) : literal(v as string | number | boolean));
  const cases = added.map((c) => {
    const whens = rows.map((row) => `WHEN ${value(row[p.keyField])} THEN ${value(row[c])}`).join(' ');
    return `CASE ${key} ${whens} ELSE NULL END AS ${ident(c)}`;
  });
  const kept = inputColumns.filter((c) => !added.includes(c)).map(ident);
  const where = p.onMiss === 'drop' ? `\nWHERE ${key} IN (${rows.map((row) => value(row[p.keyField])).join(', ')})` : '';
  ctx.view(`SELECT ${[...kept, ...cases, TIME].join(', ')}\nFROM ${ctx.input().name}${where}`);
}

/** A postgres lookup: a JDBC dimension table joined at processing time (Flink's lookup join), with its cache. */
function jdbcLookup(ctx: TranslateContext<'lookup'>) {
  const p = ctx.node.params;
  if (!p.fields.length) throw new NotTranslatable('Declare `fields`: Flink needs the columns of the dimension table');
  const dim = ident(`${ctx.node.id}__table`);
  const url = typeof p.url === 'string' ? postgresToJdbc(p.url) : null;
  const secret = typeof p.url === 'object' ? p.url.secret : null;
  if (secret) ctx.note(`The URL is the secret '${secret}' in Eddy: replace the \${secret:…} placeholders with its JDBC URL (jdbc:postgresql://host:5432/db), user and password, from your platform's secret store`);
  else if (!url) ctx.note('The URL is not a postgres:// URL in Eddy: fill in url, username and password');
  const options: Record<string, string> = {
    connector: 'jdbc', url: url?.url ?? (secret ? `\${secret:${secret}}` : 'jdbc:postgresql://HOST:5432/DATABASE'), 'table-name': p.table!,
    ...(url?.username && { username: url.username }),
    ...(secret && { username: `\${secret:${secret}_USERNAME}`, password: `\${secret:${secret}_PASSWORD}` }),
    // A valid document holds no password (credentials_in_url); should one get here, it never enters the script.
    ...(url?.password && { password: '${secret:PASSWORD}' }),
  };
  if (p.cacheTtl) Object.assign(options, { 'lookup.cache': 'PARTIAL', 'lookup.partial-cache.expire-after-write': p.cacheTtl, 'lookup.partial-cache.cache-missing-key': 'true' });
  const outFields = ctx.outputSchema().fields;
  const columns = [[p.keyField, 'STRING'], ...p.fields.filter((f) => f !== p.keyField).map((f) => [f, columnType(outFields[f])])];
  ctx.note('The dimension table\'s column types are guessed (STRING where Eddy cannot tell): match them to the Postgres table');
  ctx.table(`CREATE TABLE ${dim} (\n${columns.map(([c, t]) => `  ${ident(c)} ${t}`).join(',\n')}\n) ${withOptions(options)};`);
  const kept = ctx.inputColumns().filter((c) => !p.fields.includes(c));
  const list = [...kept.map((c) => `L.${ident(c)}`), ...p.fields.map((f) => `D.${ident(f)}`), `L.${TIME}`].join(', ');
  const probe = `(SELECT *, PROCTIME() AS eddy_proc, CAST(${sqlOf(p.key)} AS STRING) AS eddy_key FROM ${ctx.input().name})`;
  ctx.view(`SELECT ${list}\nFROM ${probe} AS L\n${p.onMiss === 'drop' ? 'JOIN' : 'LEFT JOIN'} ${dim} FOR SYSTEM_TIME AS OF L.eddy_proc AS D\n  ON L.eddy_key = D.${ident(p.keyField)}`);
}

