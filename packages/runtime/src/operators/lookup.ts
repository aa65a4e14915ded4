import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compileExpression, ExpressionRuntimeError, type ParamsOf } from '@eddy/shared';
import { selectBatch, type Batch, type Rec } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';
import { keyString } from './keys.js';
import { CsvParser } from '../sources/csv.js';


/** A table the lookup reads from. Remote stores (Redis, Postgres) implement the same shape. */
export interface LookupTable {
  get(key: string): Rec | undefined;
  readonly size: number;
}

export async function loadMemoryTable(params: ParamsOf<'lookup'>, baseDir: string): Promise<Map<string, Rec>> {
  const rows = params.rows ?? (await readRows(resolve(baseDir, params.path!)));
  const table = new Map<string, Rec>();
  for (const row of rows) table.set(keyString(row[params.keyField]), row);
  return table;
}

async function readRows(path: string): Promise<Rec[]> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim());
  if (path.endsWith('.csv')) {
    const csv = new CsvParser(',', undefined);
    return lines.map((l) => csv.parse(l)).filter((r): r is Rec => r !== null);
  }
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as Rec;
    } catch (err) {
      throw new Error(`lookup table ${path}, line ${i + 1}: ${(err as Error).message}`);
    }
  });
}

/** Enriches records with the columns of the table row their key finds. */
export class LookupOperator implements Operator {
  private readonly key: (r: Rec) => unknown;
  private table: LookupTable = new Map();
  private columns: string[] = [];

  constructor(private readonly params: ParamsOf<'lookup'>, private readonly ctx: OperatorContext) {
    this.key = compileExpression(params.key, ctx.inputSchemas.in);
  }

  async open(ctx: OperatorContext): Promise<void> {
    const table = await loadMemoryTable(this.params, ctx.baseDir);
    this.table = table;
    this.columns = this.params.fields.length
      ? this.params.fields
      : [...new Set([...table.values()].flatMap((r) => Object.keys(r)))].filter((c) => c !== this.params.keyField);
  }

  processBatch(batch: Batch): void {
    const { records } = batch;
    const { columns, table } = this;
    const out: Rec[] = [];
    const kept: number[] = [];
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let row: Rec | undefined;
      try {
        const k = this.key(r);
        row = k === null ? undefined : table.get(keyString(k));
      } catch (err) {
        if (!(err instanceof ExpressionRuntimeError)) throw err;
        this.ctx.deadLetter(r, `lookup: ${err.message}`);
        continue;
      }
      if (!row) {
        if (this.params.onMiss === 'drop') continue;
        if (this.params.onMiss === 'dead-letter') {
          this.ctx.deadLetter(r, `lookup: no row for key ${JSON.stringify(this.key(r))}`);
          continue;
        }
      }
      const o: Rec = { ...r };
      for (let c = 0; c < columns.length; c++) o[columns[c]] = row ? (row[columns[c]] ?? null) : null;
      out.push(o);
      kept.push(i);
    }
    if (out.length) this.ctx.emit({ ...selectBatch(batch, kept), records: out });
  }
}
