import type { Rec } from '../core/batch.js';

type DeclaredField = { name: string; type: string };

/**
 * CSV, one record per line (RFC 4180 quoting within a line). The first line is the
 * header. Declared number/boolean fields are converted; empty cells are NULL.
 */
export class CsvParser {
  private header: string[] | null = null;
  private readonly types: Map<string, string>;

  constructor(private readonly delimiter: string, fields: DeclaredField[] | undefined) {
    this.types = new Map((fields ?? []).map((f) => [f.name, f.type]));
  }

  parse(line: string): Rec | null {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!text.trim()) return null;
    const cells = splitCsv(text, this.delimiter);
    if (!this.header) {
      this.header = cells.map((c) => c.trim());
      return null;
    }
    if (cells.length !== this.header.length) {
      throw new Error(`expected ${this.header.length} cells, got ${cells.length}`);
    }
    const r: Rec = {};
    for (let i = 0; i < cells.length; i++) r[this.header[i]] = this.convert(this.header[i], cells[i]);
    return r;
  }

  private convert(name: string, cell: string): unknown {
    if (cell === '') return null;
    const type = this.types.get(name);
    if (type === 'number') {
      const n = Number(cell);
      if (!Number.isFinite(n)) throw new Error(`field '${name}' is not a number: ${JSON.stringify(cell)}`);
      return n;
    }
    if (type === 'boolean') return cell === 'true' || cell === '1';
    if (type === 'object' || type === 'array') return JSON.parse(cell) as unknown;
    return cell;
  }
}

export function splitCsv(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') { value += '"'; i += 2; continue; }
          i++;
          break;
        }
        value += line[i++];
      }
      cells.push(value);
      if (i < line.length && line[i] !== delimiter) throw new Error(`unexpected text after a quoted cell at column ${i + 1}`);
      i++;
    } else {
      const next = line.indexOf(delimiter, i);
      const end = next < 0 ? line.length : next;
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}
