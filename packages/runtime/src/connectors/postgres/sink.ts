import type { Client } from 'pg';
import type { ParamsOf, RecordSchema } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { CheckpointBarrier, Operator, OperatorContext } from '../../core/operator.js';
import { resolveSecret } from '../../core/secrets.js';
import { columnsOf, createTableSql, insertSql, pgLibrary, rowValues, type Column } from './sql.js';

interface Epoch { checkpointId: number; records: Rec[] }
interface PostgresSinkSnapshot { pending: Epoch[]; columns: Column[] | null }

const COMMITS = 'eddy_sink_commits';

/**
 * Writes to a Postgres table. Exactly-once keeps the records between two barriers in the
 * checkpoint itself (a write-ahead log, as Flink's GenericWriteAheadSink) and writes them
 * in one transaction together with the checkpoint id in `eddy_sink_commits` when the
 * checkpoint completes; after a restart, epochs the table already has are skipped.
 * At-least-once and at-most-once insert each batch at once.
 */
export class PostgresSinkOperator implements Operator {
  private client!: Client;
  private readonly exactlyOnce: boolean;
  private readonly sinkId: string;
  private columns: Column[] | null = null;
  private buffer: Rec[] = [];
  private sealed: Epoch[] = [];

  constructor(private readonly params: ParamsOf<'sink.postgres'>, private readonly ctx: OperatorContext) {
    this.exactlyOnce = ctx.document.settings.guarantee === 'exactly-once';
    this.sinkId = `${ctx.pipelineId}/${ctx.node.id}`;
  }

  async open(): Promise<void> {
    const { ctx } = this;
    const pg = await pgLibrary();
    this.client = new pg.Client({ connectionString: resolveSecret(this.params.url, 'url') });
    this.client.on('error', () => undefined); // a dropped connection fails the next query instead of the process
    try {
      await this.client.connect();
    } catch (err) {
      throw new Error(`sink.postgres '${ctx.node.id}': cannot connect: ${(err as Error).message}`);
    }
    const restored = ctx.restored as PostgresSinkSnapshot | undefined;
    this.columns = restored?.columns ?? columnsFromSchema(ctx.inputSchemas.in);
    if (this.columns) await this.ensureTable(this.columns);
    if (!this.exactlyOnce) return;
    await this.client.query(`CREATE TABLE IF NOT EXISTS ${COMMITS} (sink_id text PRIMARY KEY, checkpoint_id bigint NOT NULL, committed_at timestamptz NOT NULL DEFAULT now())`);
    if (!restored) {
      await this.client.query(`INSERT INTO ${COMMITS} (sink_id, checkpoint_id) VALUES ($1, 0) ON CONFLICT (sink_id) DO UPDATE SET checkpoint_id = 0, committed_at = now()`, [this.sinkId]);
      return;
    }
    // Epochs of the restored checkpoint that never reached the table are written now.
    for (const epoch of restored.pending) await this.commitEpoch(epoch);
  }

  async processBatch(batch: Batch): Promise<void> {
    if (this.exactlyOnce) {
      for (const r of batch.records) this.buffer.push(r);
      return;
    }
    await this.write(batch.records);
  }

  onCheckpoint(barrier: CheckpointBarrier): PostgresSinkSnapshot {
    if (this.exactlyOnce && this.buffer.length) {
      this.sealed.push({ checkpointId: barrier.id, records: this.buffer });
      this.buffer = [];
    }
    return { pending: this.sealed, columns: this.columns };
  }

  async onCheckpointComplete(checkpointId: number): Promise<void> {
    while (this.sealed.length && this.sealed[0].checkpointId <= checkpointId) {
      await this.commitEpoch(this.sealed[0]);
      this.sealed.shift();
    }
  }

  async close(): Promise<void> {
    try {
      // Without checkpoint storage (eddy run), what is left is committed at the end.
      if (this.exactlyOnce && this.client) {
        for (const e of this.sealed) await this.write(e.records);
        if (this.buffer.length) await this.write(this.buffer);
      }
    } finally {
      this.sealed = [];
      this.buffer = [];
      await this.client?.end().catch(() => undefined);
    }
  }

  /** One transaction: the epoch's rows and its checkpoint id, unless the table already has it. */
  private async commitEpoch(epoch: Epoch): Promise<void> {
    const c = this.client;
    await c.query('BEGIN');
    try {
      const { rows } = await c.query(`SELECT checkpoint_id FROM ${COMMITS} WHERE sink_id = $1 FOR UPDATE`, [this.sinkId]);
      if (rows.length && Number(rows[0].checkpoint_id) >= epoch.checkpointId) {
        await c.query('ROLLBACK');
        return;
      }
      await this.write(epoch.records);
      await c.query(`INSERT INTO ${COMMITS} (sink_id, checkpoint_id) VALUES ($1, $2) ON CONFLICT (sink_id) DO UPDATE SET checkpoint_id = EXCLUDED.checkpoint_id, committed_at = now()`,
        [this.sinkId, epoch.checkpointId]);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw new Error(`sink.postgres '${this.ctx.node.id}': commit of checkpoint ${epoch.checkpointId} failed: ${(err as Error).message}`);
    }
  }

  private async write(records: Rec[]): Promise<void> {
    if (!records.length) return;
    if (!this.columns) {
      this.columns = columnsOf(records[0]);
      await this.ensureTable(this.columns);
    }
    const cols = this.columns;
    const { mode, key } = this.params;
    // One statement may not upsert a key twice: the last record of a key wins, as it would row by row.
    if (mode === 'upsert') records = [...new Map(records.map((r) => [JSON.stringify(key.map((k) => r[k])), r])).values()];
    // Postgres allows 65535 parameters per statement.
    const perStatement = Math.max(1, Math.floor(60_000 / cols.length));
    for (let i = 0; i < records.length; i += perStatement) {
      const chunk = records.slice(i, i + perStatement);
      const values: unknown[] = [];
      for (const r of chunk) values.push(...rowValues(r, cols));
      await this.client.query(insertSql(this.params.table, cols, chunk.length, mode === 'upsert' ? key : null), values);
    }
  }

  private async ensureTable(cols: Column[]): Promise<void> {
    if (!this.params.createTable) return;
    await this.client.query(createTableSql(this.params.table, cols, this.params.mode === 'upsert' ? this.params.key : []));
  }
}

function columnsFromSchema(schema: RecordSchema | undefined): Column[] | null {
  if (!schema || Object.keys(schema.fields).length === 0) return null;
  return Object.entries(schema.fields).map(([name, f]) => ({
    name, type: f.timestamp || f.integer ? 'bigint' : f.type === 'number' ? 'double precision' : f.type === 'string' ? 'text' : f.type === 'boolean' ? 'boolean' : 'jsonb',
  }));
}

