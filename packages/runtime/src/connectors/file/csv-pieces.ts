import { open } from 'node:fs/promises';
import { parse as parseSync } from 'csv-parse/sync';
import type { CsvError } from 'csv-parse';
import type { Rec } from '../../core/batch.js';
import type { SourcePiece } from '../../core/source.js';
import { CsvRecords, csvOptions, readHeader } from './csv.js';

type DeclaredField = { name: string; type: string };

/** What a subtask parses: whole CSV records, the header, and how many lines came before (from where reading started). */
export interface CsvPieceWork { text: string; line0: number; header: string[] }

const LF = 10;
const QUOTE = 34;
const CR = 13;

/**
 * Where records end in CSV bytes, as RFC 4180 reads them: a line end outside quotes. A quote
 * opens a quoted cell only at the cell's start (after the delimiter or a line end); inside, a
 * doubled quote is a quote and a single one closes the cell. State carries across chunks.
 * `lines` counts lines as csv-parse does (its `info.lines` and messages): outside quotes a CRLF
 * or an LF is one line end; inside quotes every CR and every LF is one.
 */
export class CsvRecordEnds {
  lines = 0;
  private quoted = false;
  private cellStart = true;
  /** A quote inside a quoted cell, not yet known to be doubled or closing. */
  private quoteSeen = false;
  /** A CR outside quotes: one line unless an LF follows (then the pair is one). */
  private cr = false;
  /** Malformed quoting seen: record ends are no longer known. */
  private lost = false;
  /** Nothing but CRs since the last line end outside quotes. */
  private empty = true;

  constructor(private readonly delimiter: number) {}

  /** Moves over buf[from, to); calls `end(i)` at each record end (i: just past its LF), `lines` counted up to there. */
  scan(buf: Buffer, from: number, to: number, end: (at: number) => void): void {
    for (let i = from; i < to; i++) {
      const c = buf[i];
      if (this.cr) {
        this.cr = false;
        if (c !== LF) this.lines++;
      }
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === QUOTE) continue; // a doubled quote: still inside
          this.quoted = false; // that quote closed the cell; this byte is read outside
          // Text after a closing quote: csv-parse refuses the record and recovers in a way these
          // rules do not follow, so no record end is trusted from here on (the rest is one piece).
          if (c !== this.delimiter && c !== LF && c !== CR) this.lost = true;
        } else {
          if (c === QUOTE) this.quoteSeen = true;
          else if (c === LF || c === CR) this.lines++;
          continue;
        }
      }
      if (c === LF) {
        this.lines++;
        this.cellStart = true;
        // An empty line is no record end: csv-parse keeps it with the next record (its raw text).
        if (!this.lost && !this.empty) end(i + 1);
        this.empty = true;
        continue;
      }
      if (c !== CR) this.empty = false;
      if (c === CR) this.cr = true;
      else if (c === this.delimiter) this.cellStart = true;
      else if (c === QUOTE && this.cellStart) { this.quoted = true; this.cellStart = false; }
      else this.cellStart = false;
    }
  }
}

/**
 * Reads a CSV file from `start` as pieces of whole records of about `pieceBytes`, each with the
 * header (the first record when starting at 0, else read from the file's start) and the number
 * of lines before it, counted from `start` as one reader's csv-parse counts them.
 */
export async function readCsvPieces(o: {
  path: string; start: number; delimiter: string; pieceBytes: number; readBytes: number;
  dispatch: (piece: SourcePiece) => void | Promise<void>; signal: AbortSignal;
}): Promise<void> {
  const ends = new CsvRecordEnds(o.delimiter.charCodeAt(0));
  let header: string[] | null = o.start > 0 ? await readHeader(o.path, o.delimiter) : null;
  const fh = await open(o.path, 'r');
  try {
    let pending = Buffer.alloc(0);
    let base = o.start; // the file offset of pending[0]
    let line0 = 0;
    for (let eof = false; !eof;) {
      if (o.signal.aborted) return;
      const chunk = Buffer.allocUnsafe(o.readBytes);
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, base + pending.length);
      eof = bytesRead === 0;
      const scanned = pending.length;
      pending = scanned ? Buffer.concat([pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      // Cuts: [end, lines up to it, is it the header's]. The header is the first record holding
      // cells (csv-parse skips blank lines before it).
      const cuts: [number, number, boolean][] = [];
      let from = 0;
      ends.scan(pending, scanned, pending.length, (at) => {
        if (!header) {
          const rows = parseSync(pending.subarray(from, at), { ...csvOptions(o.delimiter), bom: base === 0 && from === 0, to: 1 }) as string[][];
          if (rows.length) { header = rows[0].map((c) => c.trim()); cuts.push([at, ends.lines, true]); from = at; }
        } else if (at - from >= o.pieceBytes) { cuts.push([at, ends.lines, false]); from = at; }
      });
      if (eof && header && from < pending.length) cuts.push([pending.length, ends.lines, false]);
      let at = 0;
      for (const [cut, linesTo, isHeader] of cuts) {
        if (!isHeader) {
          const work: CsvPieceWork = { text: pending.toString('utf8', at, cut), line0, header: header! };
          const sent = o.dispatch({ work, count: linesTo - line0 + 1, end: base + cut });
          if (sent) await sent;
        }
        line0 = linesTo;
        at = cut;
      }
      pending = pending.subarray(at);
      base += at;
    }
  } finally {
    await fh.close();
  }
}

/** The records of a piece, as one reader's csv-parse gives them: same cells, dead letters with the same lines and reasons. */
export function parseCsvPiece(work: CsvPieceWork, delimiter: string, fields: DeclaredField[] | undefined,
  deadLetter: (raw: unknown, reason: string) => void): { records: Rec[]; at: number[] } {
  const { text, line0 } = work;
  const reader = new CsvRecords(work.header, fields);
  // csv-parse counts lines from the piece's start: the reasons name lines from where reading started.
  const shifted = (message: string) => message.replace(/\bline (\d+)/g, (_m, n: string) => `line ${Number(n) + line0}`);
  // Refused records (csv-parse's) and records that do not fit the header, in line order.
  const refused: [line: number, raw: unknown, reason: string][] = [];
  const rows = parseSync(text, {
    ...csvOptions(delimiter), bom: false, info: true, raw: true, skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err) refused.push([line0 + Number(err.lines), { line: line0 + Number(err.lines) }, `csv: ${shifted(err.message)}`]);
      return undefined;
    },
  }) as unknown as { record: string[]; raw: string; info: { lines: number } }[];
  const records: Rec[] = [];
  const at: number[] = [];
  rows.forEach((row, i) => {
    try {
      const r = reader.toRecord(row.record);
      if (r) { records.push(r); at.push(i); }
    } catch (err) {
      const line = line0 + row.info.lines;
      refused.push([line, { line, text: row.raw.replace(/\r?\n$/, '') }, `csv: ${(err as Error).message}`]);
    }
  });
  refused.sort((a, b) => a[0] - b[0]);
  for (const [, raw, reason] of refused) deadLetter(raw, reason);
  return { records, at };
}
