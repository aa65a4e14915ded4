import type { ValueType } from '../schema/record-schema.js';
import { ExpressionRuntimeError, jsType } from './ast.js';
import { parseIsoTimestamp } from '../format/iso-timestamp.js';

/** One table of functions: arity, type rule, implementation, SQL — used by checker, compiler, SQL export and docs. */
export interface FunctionDef {
  name: string;
  signature: string;
  doc: string;
  minArgs: number;
  maxArgs: number;
  /** Result type, or an error message for these argument types. */
  type(args: ValueType[]): ValueType | string;
  /** NULL in any argument gives NULL without calling `impl`. */
  nullPropagating: boolean;
  impl(args: unknown[]): unknown;
  sql(args: string[]): string;
}

const ok = (t: ValueType, want: ValueType) => t === want || t === 'any' || t === 'null';
const need = (want: ValueType, result: ValueType) => (args: ValueType[]) => {
  const bad = args.findIndex((t) => !ok(t, want));
  return bad < 0 ? result : `argument ${bad + 1} must be a ${want}, not a ${args[bad]}`;
};

const num = (fn: string, v: unknown): number => {
  if (typeof v !== 'number') throw new ExpressionRuntimeError(`${fn} expects a number, got ${jsType(v)} ${JSON.stringify(v)}`);
  return v;
};
const str = (fn: string, v: unknown): string => {
  if (typeof v !== 'string') throw new ExpressionRuntimeError(`${fn} expects a string, got ${jsType(v)} ${JSON.stringify(v)}`);
  return v;
};
const finite = (x: number) => (Number.isFinite(x) ? x : null);

const codePointLength = (s: string): number => {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { const d = s.charCodeAt(i + 1); if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; } }
  }
  return n;
};

/**
 * Flink's SUBSTRING on code points: start > 0 is 1-based, start < 0 counts from the end
 * (-3 = the last three), start 0 is as 1; beyond either end, or a negative length, gives ''.
 */
export function substring(s: string, start: number, length: number): string {
  const cps = Array.from(s);
  const pos = Math.trunc(start);
  const len = length === Infinity ? Infinity : Math.trunc(length);
  if (len < 0) return '';
  const from = pos > 0 ? pos - 1 : pos < 0 ? cps.length + pos : 0;
  if (from < 0 || from >= cps.length) return '';
  return cps.slice(from, len === Infinity ? undefined : from + len).join('');
}

/**
 * ROUND half away from zero on the number's shortest decimal form (the digits JavaScript
 * prints), not its binary value: 1.005 is 1.005, so ROUND(1.005, 2) = 1.01, as Flink
 * (BigDecimal.valueOf, HALF_UP) and PostgreSQL's numeric round.
 */
export function roundHalfUp(x: number, digits: number): number | null {
  if (!Number.isFinite(x)) return null;
  const d = Math.trunc(digits);
  if (x === 0) return 0;
  const [mantissa, e] = Math.abs(x).toExponential().split('e');
  const ds = mantissa.replace('.', '');
  const keep = Number(e) + 1 + d; // digits of ds before the rounding position
  if (keep >= ds.length) return x;
  if (keep < 0) return 0;
  const kept = BigInt(ds.slice(0, keep) || '0') + (ds[keep] >= '5' ? 1n : 0n);
  if (kept === 0n) return 0;
  const v = Number(`${kept}e${-d}`);
  return finite(x < 0 ? -v : v);
}

const math = (name: string, doc: string, f: (x: number) => number, sqlName = name): FunctionDef => ({
  name, signature: `${name}(x)`, doc, minArgs: 1, maxArgs: 1, type: need('number', 'number'), nullPropagating: true,
  impl: (a) => finite(f(num(name, a[0]))), sql: (a) => `${sqlName}(${a[0]})`,
});

const datePart = (name: string, doc: string, f: (d: Date) => number, sqlPart: string): FunctionDef => ({
  name, signature: `${name}(ts)`, doc: `${doc} of an epoch-ms time, UTC`, minArgs: 1, maxArgs: 1,
  type: need('number', 'number'), nullPropagating: true,
  impl: (a) => f(new Date(num(name, a[0]))),
  sql: (a) => (sqlPart === 'DAYOFWEEK' ? `DAYOFWEEK(TO_TIMESTAMP_LTZ(${a[0]}, 3))` : `EXTRACT(${sqlPart} FROM TO_TIMESTAMP_LTZ(${a[0]}, 3))`),
});

const sameTypes = (args: ValueType[]): ValueType | string => {
  const known = args.filter((t) => t !== 'any' && t !== 'null');
  if (known.some((t) => t !== known[0])) return `arguments must have one type, got ${args.join(', ')}`;
  return known[0] ?? (args.includes('any') ? 'any' : 'null');
};

export const FUNCTIONS: FunctionDef[] = [
  {
    name: 'COALESCE', signature: 'COALESCE(a, b, …)', doc: 'The first argument that is not NULL', minArgs: 1, maxArgs: Infinity,
    type: sameTypes, nullPropagating: false,
    impl: (a) => { for (const v of a) if (v !== null && v !== undefined) return v; return null; },
    sql: (a) => `COALESCE(${a.join(', ')})`,
  },
  {
    name: 'LOWER', signature: 'LOWER(s)', doc: 'Lower-case text', minArgs: 1, maxArgs: 1, type: need('string', 'string'),
    nullPropagating: true, impl: (a) => str('LOWER', a[0]).toLowerCase(), sql: (a) => `LOWER(${a[0]})`,
  },
  {
    name: 'UPPER', signature: 'UPPER(s)', doc: 'Upper-case text', minArgs: 1, maxArgs: 1, type: need('string', 'string'),
    nullPropagating: true, impl: (a) => str('UPPER', a[0]).toUpperCase(), sql: (a) => `UPPER(${a[0]})`,
  },
  {
    name: 'TRIM', signature: 'TRIM(s)', doc: 'Text without leading and trailing spaces', minArgs: 1, maxArgs: 1,
    type: need('string', 'string'), nullPropagating: true, impl: (a) => str('TRIM', a[0]).replace(/^ +| +$/g, ''),
    sql: (a) => `TRIM(${a[0]})`,
  },
  {
    name: 'LTRIM', signature: 'LTRIM(s)', doc: 'Text without leading spaces', minArgs: 1, maxArgs: 1,
    type: need('string', 'string'), nullPropagating: true, impl: (a) => str('LTRIM', a[0]).replace(/^ +/, ''),
    sql: (a) => `TRIM(LEADING ' ' FROM ${a[0]})`,
  },
  {
    name: 'RTRIM', signature: 'RTRIM(s)', doc: 'Text without trailing spaces', minArgs: 1, maxArgs: 1,
    type: need('string', 'string'), nullPropagating: true, impl: (a) => str('RTRIM', a[0]).replace(/ +$/, ''),
    sql: (a) => `TRIM(TRAILING ' ' FROM ${a[0]})`,
  },
  {
    name: 'LENGTH', signature: 'LENGTH(s)', doc: 'Number of characters (code points)', minArgs: 1, maxArgs: 1, type: need('string', 'number'),
    nullPropagating: true, impl: (a) => codePointLength(str('LENGTH', a[0])), sql: (a) => `CHAR_LENGTH(${a[0]})`,
  },
  {
    name: 'CHAR_LENGTH', signature: 'CHAR_LENGTH(s)', doc: 'Number of characters (code points)', minArgs: 1, maxArgs: 1,
    type: need('string', 'number'), nullPropagating: true, impl: (a) => codePointLength(str('CHAR_LENGTH', a[0])),
    sql: (a) => `CHAR_LENGTH(${a[0]})`,
  },
  {
    name: 'SUBSTRING', signature: 'SUBSTRING(s, start[, length])',
    doc: 'Part of a text, in code points; start is 1-based, a negative start counts from the end, 0 is as 1',
    minArgs: 2, maxArgs: 3,
    type: (args) => (ok(args[0], 'string') ? need('number', 'string')(args.slice(1)) : 'argument 1 must be a string'),
    nullPropagating: true,
    impl: (a) => substring(str('SUBSTRING', a[0]), num('SUBSTRING', a[1]), a.length > 2 ? num('SUBSTRING', a[2]) : Infinity),
    sql: (a) => `SUBSTRING(${a[0]} FROM ${a[1]}${a[2] ? ` FOR ${a[2]}` : ''})`,
  },
  {
    name: 'CONCAT', signature: 'CONCAT(a, b, …)', doc: 'Texts joined; NULL if any is NULL (as Flink SQL)', minArgs: 1, maxArgs: Infinity,
    type: () => 'string', nullPropagating: true,
    impl: (a) => a.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(''),
    sql: (a) => `CONCAT(${a.map((x) => `CAST(${x} AS STRING)`).join(', ')})`,
  },
  {
    name: 'ROUND', signature: 'ROUND(x[, digits])', doc: 'Rounded half away from zero to `digits` decimals (default 0), on the decimal value: ROUND(1.005, 2) = 1.01',
    minArgs: 1, maxArgs: 2, type: need('number', 'number'), nullPropagating: true,
    impl: (a) => roundHalfUp(num('ROUND', a[0]), a.length > 1 ? num('ROUND', a[1]) : 0),
    sql: (a) => `ROUND(${a.join(', ')})`,
  },
  math('ABS', 'Absolute value', Math.abs),
  math('FLOOR', 'Largest integer ≤ x', Math.floor),
  math('CEIL', 'Smallest integer ≥ x', Math.ceil),
  math('SQRT', 'Square root (NULL for negative x)', Math.sqrt),
  math('LN', 'Natural logarithm (NULL for x ≤ 0)', (x) => (x > 0 ? Math.log(x) : NaN)),
  math('EXP', 'e to the power x', Math.exp),
  {
    name: 'POWER', signature: 'POWER(x, y)', doc: 'x to the power y', minArgs: 2, maxArgs: 2, type: need('number', 'number'),
    nullPropagating: true, impl: (a) => finite(num('POWER', a[0]) ** num('POWER', a[1])), sql: (a) => `POWER(${a[0]}, ${a[1]})`,
  },
  {
    name: 'GREATEST', signature: 'GREATEST(a, b, …)', doc: 'The largest argument', minArgs: 1, maxArgs: Infinity,
    type: sameTypes, nullPropagating: true, impl: (a) => a.reduce((m, v) => ((v as number) > (m as number) ? v : m)),
    sql: (a) => `GREATEST(${a.join(', ')})`,
  },
  {
    name: 'LEAST', signature: 'LEAST(a, b, …)', doc: 'The smallest argument', minArgs: 1, maxArgs: Infinity,
    type: sameTypes, nullPropagating: true, impl: (a) => a.reduce((m, v) => ((v as number) < (m as number) ? v : m)),
    sql: (a) => `LEAST(${a.join(', ')})`,
  },
  {
    name: 'TO_TIMESTAMP', signature: 'TO_TIMESTAMP(s)', doc: 'Epoch ms of an ISO-8601 text, UTC unless it has an offset (NULL when it is not ISO-8601)',
    minArgs: 1, maxArgs: 1, type: need('string', 'number'), nullPropagating: true,
    // The strict parser event time uses: no Date.parse (engine-specific formats, the machine's zone).
    impl: (a) => parseIsoTimestamp(str('TO_TIMESTAMP', a[0])),
    sql: (a) => `UNIX_TIMESTAMP(${a[0]}, 'yyyy-MM-dd''T''HH:mm:ss') * 1000`,
  },
  datePart('YEAR', 'Year', (d) => d.getUTCFullYear(), 'YEAR'),
  datePart('MONTH', 'Month 1–12', (d) => d.getUTCMonth() + 1, 'MONTH'),
  datePart('DAY', 'Day of month', (d) => d.getUTCDate(), 'DAY'),
  datePart('HOUR', 'Hour 0–23', (d) => d.getUTCHours(), 'HOUR'),
  datePart('MINUTE', 'Minute', (d) => d.getUTCMinutes(), 'MINUTE'),
  datePart('SECOND', 'Second', (d) => d.getUTCSeconds(), 'SECOND'),
  datePart('DAYOFWEEK', 'Day of week, 1 = Sunday', (d) => d.getUTCDay() + 1, 'DAYOFWEEK'),
];

export const FUNCTION_MAP = new Map(FUNCTIONS.map((f) => [f.name, f]));
