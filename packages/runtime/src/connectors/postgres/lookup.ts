import type { Client } from 'pg';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { resolveSecret } from '../../core/secrets.js';
import { keyString } from '../../core/keys.js';
import type { RemoteStore } from '../common/lookup-store.js';
import { pgLibrary } from './sql.js';

const quoteIdent = (name: string) => name.split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.');

/** Rows from a Postgres table: one `WHERE key = ANY($1)` query per batch. */
export class PostgresLookupStore implements RemoteStore {
  private client: Client | null = null;
  private sql = '';

  constructor(private readonly params: ParamsOf<'lookup'>, private readonly nodeId: string) {}

  async open(): Promise<void> {
    const { table, keyField, fields } = this.params;
    const columns = fields.length ? [keyField, ...fields.filter((f) => f !== keyField)].map(quoteIdent).join(', ') : '*';
    this.sql = `SELECT ${columns} FROM ${quoteIdent(table!)} WHERE ${quoteIdent(keyField)} = ANY($1)`;
    const pg = await pgLibrary();
    this.client = new pg.Client({ connectionString: resolveSecret(this.params.url!, 'url') });
    this.client.on('error', () => undefined);
    try {
      await this.client.connect();
      // Fail at deploy, not on the first record, when the table or a column does not exist.
      await this.client.query(`${this.sql} LIMIT 0`, [[]]);
    } catch (err) {
      throw new Error(`lookup '${this.nodeId}': Postgres: ${(err as Error).message}`);
    }
  }

  async fetch(keys: unknown[]): Promise<Map<string, Rec>> {
    const res = await this.client!.query(this.sql, [keys]);
    const found = new Map<string, Rec>();
    for (const row of res.rows as Rec[]) found.set(keyString(row[this.params.keyField]), row);
    return found;
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }
}
