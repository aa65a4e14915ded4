import type { Expr } from './ast.js';
import { FUNCTION_MAP } from './functions.js';

export const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
export const literal = (v: string | number | boolean | null) =>
  v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);

/** Flink SQL text of an expression (fully parenthesised, so precedence never differs). */
export function expressionToSql(e: Expr): string {
  const s = expressionToSql;
  switch (e.kind) {
    case 'literal': return literal(e.value);
    case 'field': return e.path.map(ident).join('.');
    case 'unary': return e.op === 'NOT' ? `(NOT ${s(e.operand)})` : `(-${s(e.operand)})`;
    case 'binary': return `(${s(e.left)} ${e.op} ${s(e.right)})`;
    case 'logical': return `(${s(e.left)} ${e.op} ${s(e.right)})`;
    case 'compare': return `(${s(e.left)} ${e.op} ${s(e.right)})`;
    case 'in': return `(${s(e.operand)}${e.negated ? ' NOT' : ''} IN (${e.list.map(s).join(', ')}))`;
    case 'isNull': return `(${s(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'between': return `(${s(e.operand)}${e.negated ? ' NOT' : ''} BETWEEN ${s(e.low)} AND ${s(e.high)})`;
    case 'like': return `(${s(e.operand)}${e.negated ? ' NOT' : ''} LIKE ${s(e.pattern)})`;
    case 'case': {
      const whens = e.whens.map((w) => ` WHEN ${s(w.when)} THEN ${s(w.then)}`).join('');
      return `CASE${e.operand ? ` ${s(e.operand)}` : ''}${whens}${e.otherwise ? ` ELSE ${s(e.otherwise)}` : ''} END`;
    }
    case 'call': return FUNCTION_MAP.get(e.name)!.sql(e.args.map(s));
    case 'cast': return `CAST(${s(e.operand)} AS ${e.type === 'NUMBER' ? 'DOUBLE' : e.type})`;
  }
}
