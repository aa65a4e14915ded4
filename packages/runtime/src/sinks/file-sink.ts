import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ParamsOf } from '@eddy/shared';
import type { Batch } from '../core/batch.js';
import type { Operator, OperatorContext } from '../core/operator.js';
import { csvLine, jsonLines } from './format.js';

/** Writes records to a JSON-lines or CSV file (created afresh when the job starts). */
export class FileSinkOperator implements Operator {
  private stream!: WriteStream;
  private columns: string[] | null = null;
  private failure: Error | null = null;

  constructor(private readonly params: ParamsOf<'sink.file'>, private readonly ctx: OperatorContext) {}

  open(ctx: OperatorContext): Promise<void> {
    const path = resolve(ctx.baseDir, this.params.path);
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (err) => { this.failure = err; });
    return new Promise((ok, fail) => {
      this.stream.once('open', () => ok());
      this.stream.once('error', fail);
    });
  }

  processBatch(batch: Batch): void | Promise<void> {
    if (this.failure) throw this.failure;
    const text = this.params.format === 'csv' ? this.csv(batch) : jsonLines(batch.records);
    // Honour the stream's buffer limit: a slow disk slows the pipeline instead of filling memory.
    if (!this.stream.write(text)) return new Promise((ok) => this.stream.once('drain', ok));
  }

  close(): Promise<void> {
    return new Promise((ok, fail) => {
      if (!this.stream || this.stream.closed) return ok();
      this.stream.end((err?: Error | null) => (err ? fail(err) : ok()));
    });
  }

  private csv(batch: Batch): string {
    let out = '';
    if (!this.columns) {
      this.columns = Object.keys(batch.records[0]);
      out += csvLine(this.columns) + '\n';
    }
    const cols = this.columns;
    for (const r of batch.records) out += csvLine(cols.map((c) => r[c])) + '\n';
    return out;
  }
}
