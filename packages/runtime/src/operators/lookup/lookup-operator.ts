import { compileExpression, ExpressionRuntimeError, parseDuration, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../../core/batch.js';
import { copyRecord, setField } from '../../core/set-field.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { keyString } from '../../core/keys.js';
import type { LookupStores, RemoteStore } from '../../connectors/common/lookup-store.js';
import { LookupCache } from './lookup-cache.js';

/** What a record's key found: a row, no row (undefined), or a key that could not be computed (dead-lettered). */
const FAILED = Symbol('failed');

/**
 * Enriches records with the columns of the table row their key finds. A memory table
 * answers at once; a remote store (Redis, Postgres) is asked once per batch for the keys
 * its cache does not hold, and the batch waits for the answer (so a slow store slows the
 * sources instead of piling up records).
 */
export class LookupOperator implements Operator {
  private readonly key: (r: Rec) => unknown;
  private table: Map<string, Rec> = new Map();
  private remote: RemoteStore | null = null;
  private cache: LookupCache | null = null;
  private columns: string[] = [];

  constructor(private readonly params: ParamsOf<'lookup'>, private readonly ctx: OperatorContext, private readonly stores: LookupStores) {
    this.key = compileExpression(params.key, ctx.inputSchemas.in);
  }

  async open(): Promise<void> {
    const { ctx } = this;
    const p = this.params;
    if (p.store === 'memory') {
      this.table = await this.stores.memory(p, ctx.baseDir, ctx.fileRoots);
      this.columns = p.fields.length ? p.fields : [...new Set([...this.table.values()].flatMap((r) => Object.keys(r)))].filter((c) => c !== p.keyField);
      return;
    }
    this.columns = p.fields;
    this.remote = this.stores.remote[p.store](p, ctx.node.id);
    this.cache = new LookupCache(p.cacheTtl ? parseDuration(p.cacheTtl) : 0);
    await this.remote.open();
  }

  processBatch(batch: Batch): void | Promise<void> {
    const keys = this.keysOf(batch.records);
    if (!this.remote) {
      this.enrich(batch, keys, (k) => this.table.get(k));
      return;
    }
    const now = this.ctx.now();
    const rows = new Map<string, Rec | null>();
    const missing = new Map<string, unknown>();
    for (const k of keys) {
      if (k === FAILED || k === null || k === undefined) continue;
      const ks = keyString(k);
      if (rows.has(ks) || missing.has(ks)) continue;
      const cached = this.cache!.get(ks, now);
      if (cached !== undefined) rows.set(ks, cached);
      else missing.set(ks, k);
    }
    const finish = () => this.enrich(batch, keys, (k) => rows.get(k) ?? undefined);
    if (missing.size === 0) return finish();
    return this.remote.fetch([...missing.values()]).then((found) => {
      for (const ks of missing.keys()) {
        const row = found.get(ks) ?? null;
        rows.set(ks, row);
        this.cache!.set(ks, row, now);
      }
      finish();
    });
  }

  /** The key of each record; a key whose expression fails at run time sends its record to the dead letters. */
  private keysOf(records: Rec[]): unknown[] {
    const keys = new Array<unknown>(records.length);
    for (let i = 0; i < records.length; i++) {
      try {
        keys[i] = this.key(records[i]);
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(records[i], `lookup: ${err.message}`);
        keys[i] = FAILED;
      }
    }
    return keys;
  }

  private enrich(batch: Batch, keys: unknown[], rowOf: (key: string) => Rec | undefined): void {
    const { records } = batch;
    const { columns, params } = this;
    const remoteColumns = !!this.remote && columns.length === 0;
    const out: Rec[] = [];
    const kept: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const k = keys[i];
      if (k === FAILED) continue;
      const r = records[i];
      const row = k === null || k === undefined ? undefined : rowOf(keyString(k));
      if (!row) {
        if (params.onMiss === 'drop') continue;
        if (params.onMiss === 'dead-letter') {
          this.ctx.deadLetter(r, `lookup: no row for key ${JSON.stringify(k)}`);
          continue;
        }
      }
      const o: Rec = copyRecord(r);
      if (remoteColumns) {
        // No declared fields on a remote store: every column of the row found but the key.
        if (row) for (const c in row) if (c !== params.keyField) setField(o, c, row[c] ?? null);
      } else {
        for (let c = 0; c < columns.length; c++) o[columns[c]] = row ? (row[columns[c]] ?? null) : null;
      }
      out.push(o);
      kept.push(i);
    }
    if (out.length) this.ctx.emit({ ...selectBatch(batch, kept), records: out });
  }

  async close(): Promise<void> {
    await this.remote?.close();
  }
}
