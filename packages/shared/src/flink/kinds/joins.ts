import type { TranslateContext } from '../context.js';
import { ident, interval, literal, NotTranslatable, sqlOf, TIME } from '../sql-text.js';
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
  if (!p.rows) {
    throw new NotTranslatable(`The table is read from '${p.path}' at start: in Flink, put it in a lookup table (JDBC, HBase) and join with FOR SYSTEM_TIME AS OF`);
  }
  if (p.rows.length > MAX_INLINE_ROWS) throw new NotTranslatable(`${p.rows.length} inline rows are too many to inline; use a Flink lookup table (JDBC)`);
  if (p.onMiss === 'dead-letter') throw new NotTranslatable('onMiss dead-letter: Flink SQL has no dead-letter output; choose null or drop');
  // Inline rows become a CASE per column, keyed by the lookup key: a stateless map that keeps the time attribute.
  const key = sqlOf(p.key);
  const inputColumns = ctx.inputColumns();
  const added = p.fields.length ? p.fields : [...new Set(p.rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== p.keyField);
  const value = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'object' ? literal(JSON.stringify(v)) : literal(v as string | number | boolean));
  const cases = added.map((c) => {
    const whens = p.rows!.map((row) => `WHEN ${value(row[p.keyField])} THEN ${value(row[c])}`).join(' ');
    return `CASE ${key} ${whens} ELSE NULL END AS ${ident(c)}`;
  });
  const kept = inputColumns.filter((c) => !added.includes(c)).map(ident);
  const where = p.onMiss === 'drop' ? `\nWHERE ${key} IN (${p.rows.map((row) => value(row[p.keyField])).join(', ')})` : '';
  ctx.view(`SELECT ${[...kept, ...cases, TIME].join(', ')}\nFROM ${ctx.input().name}${where}`);
}
