import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ParamsOf } from '@eddy/shared';
import type { Batch } from '../../core/batch.js';
import type { CheckpointBarrier, Operator, OperatorContext } from '../../core/operator.js';
import { fileSize } from '../../checkpoint/checkpoint-store.js';
import { commitParts, recoverCommitted, type SealedPart } from './commit.js';
import { csvLine, jsonLines } from './format.js';
import { describeFsError } from '../../io/fs-errors.js';
import { NodeError } from '../../core/node-error.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';
import { claimOutputFile, markOwned } from '../../io/file-ownership.js';

/** What a checkpoint keeps of a file sink. */
interface FileSinkSnapshot {
  /** Length of the file before the pending parts are appended (exactly-once) or after the last flush. */
  committedLength: number;
  /** Parts sealed at or before this checkpoint, not yet known to be committed (exactly-once). */
  pending: SealedPart[];
  columns: string[] | null;
}

/**
 * Writes records to a JSON-lines or CSV file. At-least-once and at-most-once append to the
 * file directly. Exactly-once is two-phase, as Flink's FileSink: records go to a part file;
 * a checkpoint barrier seals it (fsync), and when that checkpoint is durable the part is
 * appended to the file and deleted. Readers of the file see committed records only.
 */
export class FileSinkOperator implements Operator {
  private readonly path: string;
  private readonly partsDir: string;
  private readonly exactlyOnce: boolean;
  private stream: WriteStream | null = null;
  private streamPath = '';
  private failure: Error | null = null;
  private columns: string[] | null = null;
  private committedLength = 0;
  private sealed: (SealedPart & { checkpointId: number })[] = [];
  private partSeq = 0;
  private readonly baseDir: string;
  private readonly nodeId: string;
  private readonly fileRoots: readonly string[];
  private readonly pipelineId: string;
  /** Inode of the file this sink writes: a commit into another file (replaced meanwhile) is refused. */
  private ino = 0;

  constructor(private readonly params: ParamsOf<'sink.file'>, private readonly ctx: OperatorContext) {
    this.baseDir = ctx.baseDir;
    this.nodeId = ctx.node.id;
    this.fileRoots = ctx.fileRoots ?? [];
    this.pipelineId = ctx.pipelineId;
    this.path = resolve(ctx.baseDir, params.path);
    this.partsDir = join(dirname(this.path), `.${basename(this.path)}.parts`);
    this.exactlyOnce = ctx.document.settings.guarantee === 'exactly-once';
  }

  async open(): Promise<void> {
    const { ctx } = this;
    requireAllowedFile(this.params.path, { baseDir: this.baseDir, roots: this.fileRoots }); // again: a link may have moved since validation
    mkdirSync(dirname(this.path), { recursive: true });
    const restored = ctx.restored as FileSinkSnapshot | undefined;
    this.columns = restored?.columns ?? null;
    await claimOutputFile(this.path, { shown: this.params.path, overwrite: this.params.overwrite, restoring: !!restored });
    if (!this.exactlyOnce) {
      await this.openStream(this.path, restored ? 'a' : 'w');
      await this.markOwned();
      return;
    }
    if (restored) {
      await recoverCommitted(this.path, this.partsDir, restored.committedLength, restored.pending);
      this.committedLength = restored.committedLength + restored.pending.reduce((n, p) => n + p.bytes, 0);
    } else {
      await (await open(this.path, 'w')).close();
    }
    await this.markOwned();
    await rm(this.partsDir, { recursive: true, force: true });
    mkdirSync(this.partsDir, { recursive: true });
    await this.openPart();
  }

  processBatch(batch: Batch): void | Promise<void> {
    if (this.failure) throw new NodeError(this.nodeId, 'sink.file', describeFsError(this.failure, this.baseDir), { cause: this.failure });
    const text = this.params.format === 'csv' ? this.csv(batch) : jsonLines(batch.records);
    // Honour the stream's buffer limit: a slow disk slows the pipeline instead of filling memory.
    if (!this.stream!.write(text)) return new Promise((ok) => this.stream!.once('drain', ok));
  }

  /** File errors (a deleted file or parts folder) fail the job with words, never the process. */
  async onCheckpoint(barrier: CheckpointBarrier): Promise<FileSinkSnapshot> {
    try {
      return await this.snapshot(barrier);
    } catch (err) {
      throw new Error(describeFsError(err, this.baseDir), { cause: err });
    }
  }

  private async snapshot(barrier: CheckpointBarrier): Promise<FileSinkSnapshot> {
    if (!this.exactlyOnce) {
      await this.closeStream(true);
      await this.openStream(this.path, 'a');
      return { committedLength: await fileSize(this.path), pending: [], columns: this.columns };
    }
    // Pre-commit: seal the current part (durable), start the next one.
    const file = this.streamPath;
    await this.closeStream(true);
    const bytes = await fileSize(file);
    if (bytes > 0) this.sealed.push({ file: basename(file), bytes, checkpointId: barrier.id });
    else await rm(file, { force: true });
    await this.openPart();
    return { committedLength: this.committedLength, pending: this.sealed.map(({ file: f, bytes: b }) => ({ file: f, bytes: b })), columns: this.columns };
  }

  async onCheckpointComplete(checkpointId: number): Promise<void> {
    if (!this.exactlyOnce) return;
    const due = this.sealed.filter((p) => p.checkpointId <= checkpointId);
    if (!due.length) return;
    try {
      // Appending would quietly recreate a file someone deleted, or write into one put in its place.
      if ((await stat(this.path)).ino !== this.ino) throw new Error(`${this.params.path} was replaced by another file while the pipeline ran`);
      this.committedLength = await commitParts(this.path, this.partsDir, due);
    } catch (err) {
      throw new Error(describeFsError(err, this.baseDir), { cause: err });
    }
    this.sealed = this.sealed.filter((p) => p.checkpointId > checkpointId);
  }

  /** A graceful end (bounded input done, or a stop after its final checkpoint) commits what is left. */
  async close(): Promise<void> {
    if (!this.exactlyOnce || !this.stream) return this.closeStream(false);
    const file = this.streamPath;
    await this.closeStream(true);
    const bytes = await fileSize(file);
    const parts = [...this.sealed, ...(bytes > 0 ? [{ file: basename(file), bytes, checkpointId: Infinity }] : [])];
    if (parts.length) this.committedLength = await commitParts(this.path, this.partsDir, parts);
    this.sealed = [];
    await rm(this.partsDir, { recursive: true, force: true });
  }

  /** Marks the file as this sink's own (see file-ownership.ts). */
  private async markOwned(): Promise<void> {
    this.ino = await markOwned(this.path, { pipelineId: this.pipelineId, nodeId: this.nodeId });
  }

  private openPart(): Promise<void> {
    return this.openStream(join(this.partsDir, `part-${String(++this.partSeq).padStart(6, '0')}`), 'w');
  }

  private openStream(path: string, flags: 'w' | 'a'): Promise<void> {
    const stream = createWriteStream(path, { flags });
    this.stream = stream;
    this.streamPath = path;
    stream.on('error', (err) => { this.failure = err; });
    return new Promise((ok, fail) => {
      stream.once('open', () => ok());
      stream.once('error', fail);
    });
  }

  /** Ends the current stream; with `sync`, its bytes are on disk when this resolves. */
  private async closeStream(sync: boolean): Promise<void> {
    const stream = this.stream;
    if (!stream || stream.closed) return;
    this.stream = null;
    await new Promise<void>((ok, fail) => stream.end((err?: Error | null) => (err ? fail(err) : ok())));
    if (sync) {
      const fh = await open(this.streamPath, 'r+');
      try { await fh.sync(); } finally { await fh.close(); }
    }
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

