import type { Rec } from '../../core/batch.js';
import { loadOnce } from '../common/load-once.js';

/** node-postgres, loaded when a Postgres node first connects. */
export const pgLibrary = loadOnce(async () => (await import('pg')).default);

export interface Column { name: string; type: 'bigint' | 'double precision' | 'text' | 'boolean' | 'jsonb' }

/** "name" with quotes doubled; schema.table quoted part by part. */
export const quoteIdent = (name: string) => name.split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.');

/** Columns from a record's own fields, for inputs whose schema is open. */
export function columnsOf(r: Rec): Column[] {
  return Object.entries(r).map(([name, v]) => ({
    name, type: typeof v === 'number' ? 'double precision' : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'text' : 'jsonb',
  }));
}

export function createTableSql(table: string, cols: Column[], key: string[]): string {
  const defs = cols.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  if (key.length) defs.push(`PRIMARY KEY (${key.map(quoteIdent).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${defs.join(', ')})`;
}

/** A multi-row INSERT; with `key`, an upsert that updates the other columns. */
export function insertSql(table: string, cols: Column[], rows: number, key: string[] | null): string {
  const names = cols.map((c) => quoteIdent(c.name)).join(', ');
  const tuples: string[] = [];
  for (let r = 0, p = 1; r < rows; r++) {
    const ps: string[] = [];
    for (const c of cols) ps.push(c.type === 'jsonb' ? `$${p++}::jsonb` : `$${p++}`);
    tuples.push(`(${ps.join(', ')})`);
  }
  let sql = `INSERT INTO ${quoteIdent(table)} (${names}) VALUES ${tuples.join(', ')}`;
  if (key) {
    const rest = cols.filter((c) => !key.includes(c.name));
    sql += ` ON CONFLICT (${key.map(quoteIdent).join(', ')}) DO ` +
      (rest.length ? `UPDATE SET ${rest.map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`).join(', ')}` : 'NOTHING');
  }
  return sql;
}

export function rowValues(r: Rec, cols: Column[]): unknown[] {
  return cols.map((c) => {
    const v = r[c.name];
    if (v === undefined || v === null) return null;
    return c.type === 'jsonb' ? JSON.stringify(v) : v;
  });
}
