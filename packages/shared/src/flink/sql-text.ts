import type { FieldSchema, RecordSchema } from '../schema/record-schema.js';
import { parseDuration } from '../format/duration.js';
import { parseExpression } from '../expr/parser.js';
import { expressionToSql, ident, literal } from '../expr/sql.js';

export { ident, literal };

/**
 * The hidden column every translated relation carries: the record's event time as a Flink
 * time attribute (Eddy keeps event time beside the record, as Flink's StreamRecord does).
 */
export const TIME_COLUMN = 'eddy_time';
export const TIME = ident(TIME_COLUMN);

/** Thrown by a translation that cannot be expressed in Flink SQL; the message says why. */
export class NotTranslatable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'NotTranslatable';
  }
}

/** A Flink interval literal of a duration ('10s' → INTERVAL '10' SECOND, '250ms' → INTERVAL '0.25' SECOND). */
export function interval(duration: string | number): string {
  const ms = parseDuration(duration);
  const units: [number, string][] = [[86_400_000, 'DAY'], [3_600_000, 'HOUR'], [60_000, 'MINUTE'], [1000, 'SECOND']];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `INTERVAL '${ms / size}' ${unit}`;
  return `INTERVAL '${ms / 1000}' SECOND`;
}

/** Flink SQL text of an Eddy expression (already checked by validation). */
export function sqlOf(expression: string): string {
  const parsed = parseExpression(expression);
  if (!parsed.ok) throw new NotTranslatable(`The expression '${expression}' does not parse`);
  return expressionToSql(parsed.ast);
}

/** Flink column type of a field. Whole numbers (ids, counts, epoch ms) are BIGINT; other numbers DOUBLE. */
export function columnType(field: FieldSchema | undefined): string {
  switch (field?.type) {
    case 'string': return 'STRING';
    case 'number': return field.integer || field.timestamp ? 'BIGINT' : 'DOUBLE';
    case 'boolean': return 'BOOLEAN';
    case 'object':
      if (field.fields && Object.keys(field.fields).length) {
        return `ROW<${Object.entries(field.fields).map(([n, f]) => `${ident(n)} ${columnType(f)}`).join(', ')}>`;
      }
      return 'MAP<STRING, STRING>';
    case 'array': return 'ARRAY<STRING>';
    default: return 'STRING';
  }
}

/** The columns of a closed schema; an open one has none Flink could declare. */
export function columnsOf(schema: RecordSchema, what: string): string[] {
  if (schema.open) {
    throw new NotTranslatable(`${what} has an open schema (fields known only at run time); Flink tables need declared columns: declare the source's fields`);
  }
  return Object.keys(schema.fields);
}

/** `a, b, eddy_time` — a select list of columns, qualified by an alias when given. */
export function selectList(columns: string[], alias?: string): string {
  const q = alias ? `${alias}.` : '';
  return [...columns.map((c) => q + ident(c)), q + TIME].join(', ');
}

/** The column definitions of a CREATE TABLE (without the time column). */
export function columnDefinitions(schema: RecordSchema, columns: string[], types: Record<string, string> = {}): string[] {
  return columns.map((c) => `  ${ident(c)} ${types[c] ?? columnType(schema.fields[c])}`);
}

/** WITH ( 'k' = 'v', … ) */
export function withOptions(options: Record<string, string | number>): string {
  return `WITH (\n${Object.entries(options).map(([k, v]) => `  ${literal(k)} = ${literal(String(v))}`).join(',\n')}\n)`;
}

/** postgres://user:password@host:port/db → what Flink's JDBC connector wants; null when it is not such a URL. */
export function postgresToJdbc(url: string): { url: string; username?: string; password?: string } | null {
  try {
    const u = new URL(url);
    if (!/^postgres(ql)?:$/.test(u.protocol)) return null;
    const username = decodeURIComponent(u.username) || undefined;
    const password = decodeURIComponent(u.password) || undefined;
    const jdbc = `jdbc:postgresql://${u.host}${u.pathname}`;
    // Flink's JDBC options take a username and a password together or neither: a user alone goes in the URL.
    if (username && !password) return { url: `${jdbc}?user=${encodeURIComponent(username)}` };
    return { url: jdbc, username, password };
  } catch {
    return null;
  }
}
