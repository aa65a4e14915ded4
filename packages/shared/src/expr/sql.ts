import type { Expr } from './ast.js';
import { FUNCTION_MAP } from './functions.js';

export const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;
export const literal = (v: string | number | boolean | null) =>
  v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v);

/**
 * A number literal as a Flink DOUBLE literal (`7E0`, `0.1E0`): Eddy has one number type, a
 * double, so `7 / 2` must be 3.5 and `0.1 + 0.2` the double sum in Flink too, not INT
 * division or DECIMAL arithmetic.
 */
export const doubleLiteral = (v: number): string => {
  const t = String(v);
  return /e/i.test(t) ? t.toUpperCase() : `${t}E0`;
};

/** An argument Flink wants as INT (SUBSTRING positions, ROUND digits): an integer literal as-is, else a cast. */
function intArg(e: Expr): string {
  if (e.kind === 'literal' && Number.isInteger(e.value)) return String(e.value);
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'literal' && Number.isInteger(e.operand.value)) return `-${String(e.operand.value)}`;
  return `CAST(${expressionToSql(e)} AS INT)`;
}

const INT_ARGS: Record<string, number[]> = { SUBSTRING: [1, 2], ROUND: [1] };

/** Flink SQL text of an expression (fully parenthesised, so precedence never differs). */
export function expressionToSql(e: Expr): string {
  const s = expressionToSql;
  switch (e.kind) {
    case 'literal': return typeof e.value === 'number' ? doubleLiteral(e.value) : literal(e.value);
    case 'field': return e.path.map(ident).join('.');
    case 'unary': return e.op === 'NOT' ? `(NOT ${s(e.operand)})` : `(-${s(e.operand)})`;
    case 'binary': {
      // Eddy's x / 0 and x % 0 are NULL; Flink's DOUBLE division gives Infinity or NaN: divide by NULL instead.
      const safe = e.right.kind === 'literal' && typeof e.right.value === 'number' && e.right.value !== 0;
      const divisor = (e.op === '/' || e.op === '%') && !safe ? `NULLIF(${s(e.right)}, 0E0)` : s(e.right);
      // Flink's % (MOD) takes integers only; Eddy's is the double remainder with the dividend's sign: a - b * TRUNCATE(a / b).
      if (e.op === '%') return `(${s(e.left)} - (${s(e.right)} * TRUNCATE((${s(e.left)} / ${divisor}))))`;
      return `(${s(e.left)} ${e.op} ${divisor})`;
    }
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
    case 'call': {
      const ints = INT_ARGS[e.name] ?? [];
      return FUNCTION_MAP.get(e.name)!.sql(e.args.map((a, i) => (ints.includes(i) ? intArg(a) : s(a))));
    }
    case 'cast': return `CAST(${s(e.operand)} AS ${e.type === 'NUMBER' ? 'DOUBLE' : e.type})`;
  }
}
