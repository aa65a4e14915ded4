import { closeSync, openSync, readSync } from 'node:fs';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { sourceEventTime, type PiecewiseSource, type SourceConnector, type SourceEventTime, type SourceOutput, type SourcePiece } from '../../core/source.js';
import { isPromise, sleep, yieldToEventLoop } from '../../core/async.js';
import { readCsvFile } from './csv.js';
import { parseCsvPiece, readCsvPieces, type CsvPieceWork } from './csv-pieces.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';
import { JsonPieceFile, readJsonPieces, type JsonPieceWork } from './json-pieces.js';

const CHUNK_BYTES = 64 * 1024;
/** A piece for a subtask (parallelism > 1): a few hundred lines of a typical event file. */
const PIECE_BYTES = 64 * 1024;
/** A CSV file read in pieces is read this much at a time and cut into pieces from it. */
const READ_BYTES = 1024 * 1024;
/** The reader of a JSON-lines file in pieces looks for each piece's end in a read of this size (most lines are shorter). */
const PROBE_BYTES = 4096;

/** Reads JSON lines or CSV; the byte offset of the next unread record is its checkpoint offset. */
export class FileSource implements SourceConnector, PiecewiseSource {
  readonly eventTime: SourceEventTime | undefined;
  /** Byte offset just past the last record handed on. */
  offset = 0;
  /** A subtask's reading of its pieces (parallelism > 1). */
  private pieceFile: JsonPieceFile | null = null;

  constructor(private readonly params: ParamsOf<'source.file'>, private readonly baseDir: string, private readonly fileRoots: readonly string[] = []) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const path = requireAllowedFile(this.params.path, { baseDir: this.baseDir, roots: this.fileRoots });
    const rate = this.params.ratePerSec;
    const parts = this.params.format === 'csv'
      ? readCsvFile({ path, start: this.offset, delimiter: this.params.delimiter, fields: this.params.fields, deadLetter: (raw, reason) => out.deadLetter(raw, reason) })
      : readJsonLines(path, this.offset, rate > 0, out);
    const startedAt = performance.now();
    let emitted = 0;
    for await (const { records, ends, end } of parts) {
      if (signal.aborted) break;
      if (rate <= 0) {
        this.offset = end;
        if (records.length) {
          const pushed = out.push(records);
          if (isPromise(pushed)) await pushed;
        }
      } else {
        // Paced: records leave a few at a time, each part with the offset just past its last record.
        let i = 0;
        while (i < records.length) {
          const due = Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1 - emitted;
          if (due <= 0) { await sleep(Math.max(1, 1000 / rate), signal); if (signal.aborted) return; continue; }
          const n = Math.min(records.length - i, due);
          this.offset = i + n === records.length ? end : ends[i + n - 1];
          emitted += n;
          const pushed = out.push(records.slice(i, i + n));
          i += n;
          if (isPromise(pushed)) await pushed;
        }
        this.offset = end;
      }
      await yieldToEventLoop();
    }
  }

  /**
   * Parallel reading (JSON lines at full speed): byte ranges of whole lines, each with its first
   * line's number; the subtask reads its range itself (json-pieces.ts). CSV pieces carry their text.
   */
  async readPieces(dispatch: (piece: SourcePiece) => void | Promise<void>, signal: AbortSignal): Promise<void> {
    const path = requireAllowedFile(this.params.path, { baseDir: this.baseDir, roots: this.fileRoots });
    if (this.params.format === 'csv') {
      // Whole records (a quoted cell may hold a line break), each piece with the header.
      return readCsvPieces({ path, start: this.offset, delimiter: this.params.delimiter, pieceBytes: PIECE_BYTES, readBytes: READ_BYTES, dispatch, signal });
    }
    await readJsonPieces({ path, start: this.offset, pieceBytes: PIECE_BYTES, probeBytes: PROBE_BYTES, signal, dispatch, cut: (end) => { this.offset = end; } });
  }

  parsePiece(work: unknown, deadLetter: (raw: unknown, reason: string, line?: number) => void): { records: Rec[]; at: number[]; lines?: number } {
    if (this.params.format === 'csv') return parseCsvPiece(work as CsvPieceWork, this.params.delimiter, this.params.fields, deadLetter);
    const piece = work as JsonPieceWork;
    this.pieceFile ??= new JsonPieceFile(() => requireAllowedFile(this.params.path, { baseDir: this.baseDir, roots: this.fileRoots }));
    const lines = this.pieceFile.text(piece).split('\n');
    // Dead letters name lines within the piece: the caller adds the lines before it, once they are parsed.
    const parse = jsonLineParser((raw, reason) => deadLetter(raw, reason, raw.line));
    const records: Rec[] = [];
    const at: number[] = [];
    for (let i = 0; i < lines.length; i++) {
      const r = parse(lines[i], i + 1);
      if (r) { records.push(r); at.push(i); }
    }
    return { records, at, lines: lines.length };
  }

  releasePieces(): void {
    this.pieceFile?.close();
    this.pieceFile = null;
  }

  checkpointPosition(): unknown {
    return this.offset;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.offset = position;
  }

}

interface Part { records: Rec[]; ends: number[]; end: number }

/**
 * Whole lines from a byte offset, a chunk at a time (the last one may lack its line end), with
 * the offset after each. Read with readSync, as a subtask reads its pieces (json-pieces.ts): a
 * 64 KB read from the page cache takes tens of µs, against the ~250 µs of parsing its lines, and
 * a read stream's hand-off to libuv's thread pool left the job's thread idle meanwhile (q2 at
 * parallelism 1: ~6 % of its CPU and ~4 % of its time). The caller yields to the event loop
 * after each chunk.
 */
function* lineChunks(path: string, start: number, chunkBytes: number): Generator<{ buf: Buffer; end: number }> {
  const fd = openSync(path, 'r');
  let carry: Buffer = Buffer.alloc(0);
  let offset = start;
  let at = start;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const n = readSync(fd, chunk, 0, chunkBytes, at);
      if (n === 0) break;
      at += n;
      const got = chunk.subarray(0, n);
      const buf: Buffer = carry.length ? Buffer.concat([carry, got]) : got;
      const last = buf.lastIndexOf(10);
      if (last < 0) { carry = buf; continue; }
      carry = buf.subarray(last + 1);
      offset += last + 1;
      yield { buf: buf.subarray(0, last + 1), end: offset };
    }
    if (carry.length) {
      offset += carry.length;
      yield { buf: carry, end: offset };
    }
  } finally {
    closeSync(fd);
  }
}

/** JSON lines from a byte offset, a chunk at a time; `withEnds`: the offset past each record too (for pacing). */
async function* readJsonLines(path: string, start: number, withEnds: boolean, out: SourceOutput): AsyncGenerator<Part> {
  const parse = jsonLineParser((raw, reason) => out.deadLetter(raw, reason));
  let lineNo = 0;
  let offset = start;
  for (const { buf, end } of lineChunks(path, start, CHUNK_BYTES)) {
    const records: Rec[] = [];
    const ends: number[] = [];
    const whole = buf[buf.length - 1] === 10;
    if (!withEnds) {
      for (const line of buf.toString('utf8', 0, whole ? buf.length - 1 : buf.length).split('\n')) {
        const r = parse(line, ++lineNo);
        if (r) records.push(r);
      }
    } else {
      for (let pos = 0; pos < buf.length;) {
        let nl = buf.indexOf(10, pos);
        if (nl < 0) nl = buf.length;
        const r = parse(buf.toString('utf8', pos, nl), ++lineNo);
        if (r) { records.push(r); ends.push(offset + Math.min(nl + 1, buf.length)); }
        pos = nl + 1;
      }
    }
    offset = end;
    yield { records, ends, end };
  }
}

/** Parses one line; a line that is not a JSON object is a dead letter `{ line, text }`. */
function jsonLineParser(deadLetter: (raw: { line: number; text: string }, reason: string) => void): (line: string, lineNo: number) => Rec | null {
  return (line, lineNo) => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!text.trim()) return null;
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Rec;
      deadLetter({ line: lineNo, text }, 'jsonl: a line must hold a JSON object');
    } catch (err) {
      deadLetter({ line: lineNo, text }, `jsonl: ${(err as Error).message}`);
    }
    return null;
  };
}
