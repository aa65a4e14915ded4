import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { Rec } from '../../core/batch.js';
import { setField } from '../../core/set-field.js';

type DeclaredField = { name: string; type: string };

/**
 * CSV per RFC 4180, parsed by csv-parse: quoted cells may hold delimiters, doubled quotes
 * and line breaks; records end with LF or CRLF. The first record is the header. Declared
 * field types convert cells (see CsvRecords.convert); an empty cell is NULL.
 */
export const csvOptions = (delimiter: string): Options => ({
  delimiter,
  record_delimiter: ['\r\n', '\n'],
  relax_column_count: true,
  skip_empty_lines: true,
  bom: true,
});

const STRICT_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Turns the cells of a record into a record by the header and the declared types. */
export class CsvRecords {
  private readonly types: Map<string, string>;

  constructor(readonly header: string[], fields: DeclaredField[] | undefined) {
    this.types = new Map((fields ?? []).map((f) => [f.name, f.type]));
  }

  /** The record, null for a blank line, or a throw with the reason. */
  toRecord(cells: string[]): Rec | null {
    if (cells.length === 1 && this.header.length > 1 && !cells[0].trim()) return null;
    if (cells.length !== this.header.length) throw new Error(`expected ${this.header.length} cells, got ${cells.length}`);
    const r: Rec = {};
    for (let i = 0; i < cells.length; i++) setField(r, this.header[i], this.convert(this.header[i], cells[i]));
    return r;
  }

  /** number: a decimal number (surrounding spaces allowed), integer: a whole one; boolean: true or false (any case); object/array: JSON. */
  convert(name: string, cell: string): unknown {
    if (cell === '') return null;
    const type = this.types.get(name);
    if (type === 'number' || type === 'integer') {
      const t = cell.trim();
      if (t === '') return null;
      if (!STRICT_NUMBER.test(t)) throw new Error(`field '${name}' is not a number: ${JSON.stringify(cell)}`);
      const n = Number(t);
      if (type === 'integer' && !Number.isInteger(n)) throw new Error(`field '${name}' is not an integer: ${JSON.stringify(cell)}`);
      return n;
    }
    if (type === 'boolean') {
      const t = cell.trim().toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      if (t === '') return null;
      throw new Error(`field '${name}' is not true or false: ${JSON.stringify(cell)}`);
    }
    if (type === 'object' || type === 'array') return JSON.parse(cell) as unknown;
    return cell;
  }
}

/** Parses a whole CSV text (header first) into records; throws on the first bad record. */
export function parseCsvText(text: string, delimiter = ',', fields?: DeclaredField[]): Rec[] {
  const rows = parseSync(text, csvOptions(delimiter)) as string[][];
  if (!rows.length) return [];
  const reader = new CsvRecords(rows[0].map((c) => c.trim()), fields);
  const out: Rec[] = [];
  rows.slice(1).forEach((cells, i) => {
    try {
      const r = reader.toRecord(cells);
      if (r) out.push(r);
    } catch (err) {
      throw new Error(`record ${i + 1}: ${(err as Error).message}`);
    }
  });
  return out;
}

/** Records read from a CSV file, each with the byte offset just past it (its checkpoint offset). */
export interface CsvPart {
  records: Rec[];
  ends: number[];
  /** Byte offset just past everything this part consumed. */
  end: number;
}

export interface CsvReadOptions {
  path: string;
  /** Byte offset to resume from: just past a record (0 = the start, header included). */
  start: number;
  delimiter: string;
  fields?: DeclaredField[];
  deadLetter: (raw: unknown, reason: string) => void;
  partSize?: number;
}

/** Streams a CSV file from a byte offset in parts; bad records become dead letters. */
export async function* readCsvFile(o: CsvReadOptions): AsyncGenerator<CsvPart> {
  let reader = o.start > 0 ? new CsvRecords(await readHeader(o.path, o.delimiter), o.fields) : null;
  const parser = parse({ ...csvOptions(o.delimiter), info: true, raw: true, skip_records_with_error: true, bom: o.start === 0 });
  parser.on('skip', (err: CsvError) => o.deadLetter({ line: err.lines }, `csv: ${err.message}`));
  const stream = createReadStream(o.path, { start: o.start, highWaterMark: 64 * 1024 });
  stream.on('error', (err) => parser.destroy(err));
  stream.pipe(parser);
  const partSize = o.partSize ?? 1024;
  let part: CsvPart = { records: [], ends: [], end: o.start };
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; raw: string; info: { bytes: number; lines: number } }>) {
      const end = o.start + item.info.bytes;
      part.end = end;
      if (!reader) {
        reader = new CsvRecords(item.record.map((c) => c.trim()), o.fields);
        continue;
      }
      try {
        const r = reader.toRecord(item.record);
        if (r) { part.records.push(r); part.ends.push(end); }
      } catch (err) {
        o.deadLetter({ line: item.info.lines, text: item.raw.replace(/\r?\n$/, '') }, `csv: ${(err as Error).message}`);
      }
      if (part.records.length >= partSize) {
        yield part;
        part = { records: [], ends: [], end };
      }
    }
    part.end = o.start + (parser.info.bytes as number);
    if (part.records.length || part.end > o.start) yield part;
  } finally {
    stream.destroy();
    parser.destroy();
  }
}

/** The header of a CSV file (its first record, which may span lines). */
export async function readHeader(path: string, delimiter: string): Promise<string[]> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const rows = parseSync(buf.subarray(0, bytesRead), { ...csvOptions(delimiter), to: 1 }) as string[][];
    return (rows[0] ?? []).map((c) => c.trim());
  } finally {
    await fh.close();
  }
}
