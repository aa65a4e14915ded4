import type { RecordSchema } from '../../schema/record-schema.js';
import type { TranslateContext } from '../context.js';
import { columnsOf, columnType, ident, selectList, sqlOf, TIME } from '../sql-text.js';

/** A condition as Flink must see it: NULL counts as false, as in Eddy. */
const holds = (where: string) => `COALESCE(${sqlOf(where)}, FALSE)`;

export function filter(ctx: TranslateContext<'filter'>) {
  ctx.view(`SELECT * FROM ${ctx.input().name}\nWHERE ${holds(ctx.node.params.where)}`);
}

export function map(ctx: TranslateContext<'map'>) {
  const { fields, keep } = ctx.node.params;
  const computed = new Set(fields.map((f) => f.name));
  const kept = keep ? ctx.inputColumns().filter((c) => !computed.has(c)).map(ident) : [];
  const exprs = fields.map((f) => `${sqlOf(f.expr)} AS ${ident(f.name)}`);
  // A computed field keeps a Flink type (a window bound) only when it is a bare copy of that column.
  const inTypes = ctx.input().types;
  const types: Record<string, string> = {};
  for (const c of Object.keys(ctx.outputSchema().fields)) if (!computed.has(c) && inTypes[c]) types[c] = inTypes[c];
  for (const f of fields) if (inTypes[f.expr.trim()]) types[f.name] = inTypes[f.expr.trim()];
  ctx.setTypes(types);
  ctx.view(`SELECT ${[...kept, ...exprs, TIME].join(', ')}\nFROM ${ctx.input().name}`);
}

export function union(ctx: TranslateContext<'union'>) {
  // Flink's UNION ALL needs one column list: every input's columns, NULL where an input lacks one.
  const fields: RecordSchema['fields'] = {};
  const inputs = ctx.inputs();
  for (const r of inputs) for (const c of columnsOf(r.schema, `An input of '${ctx.node.id}'`)) fields[c] ??= r.schema.fields[c];
  const columns = Object.keys(fields);
  const parts = inputs.map((r) => {
    const list = columns.map((c) => (c in r.schema.fields ? ident(c) : `CAST(NULL AS ${r.types[c] ?? columnType(fields[c])}) AS ${ident(c)}`));
    return `SELECT ${[...list, TIME].join(', ')} FROM ${r.name}`;
  });
  ctx.setSchema({ fields });
  ctx.view(parts.join('\nUNION ALL\n'));
}

export function route(ctx: TranslateContext<'route'>) {
  const { routes, match } = ctx.node.params;
  const input = ctx.input().name;
  const conds = routes.map((r) => holds(r.where));
  routes.forEach((r, i) => {
    if (!ctx.isConnected(r.port)) return;
    const earlier = match === 'first' ? conds.slice(0, i).map((c) => `NOT ${c}`) : [];
    ctx.view(`SELECT * FROM ${input}\nWHERE ${[conds[i], ...earlier].join(' AND ')}`, r.port);
  });
  if (ctx.isConnected('default')) ctx.view(`SELECT * FROM ${input}\nWHERE NOT (${conds.join(' OR ')})`, 'default');
}

export function dedupe(ctx: TranslateContext<'dedupe'>) {
  const { key, within } = ctx.node.params;
  const columns = ctx.inputColumns();
  ctx.note(`Flink keeps the first row per key as long as its state lives: set 'table.exec.state.ttl' to about ${within} `
    + '(Eddy forgets a key once the watermark passes `within`)');
  ctx.view(`SELECT ${selectList(columns)} FROM (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY eddy_key ORDER BY ${TIME} ASC) AS eddy_row\n`
    + `  FROM (SELECT *, ${sqlOf(key)} AS eddy_key FROM ${ctx.input().name})\n)\nWHERE eddy_row = 1`);
}
