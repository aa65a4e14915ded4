import { readFile } from 'node:fs/promises';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { keyString } from '../../core/keys.js';
import { parseCsvText } from './csv.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';

/**
 * The table by keyString of its key column. A CSV cell has no type, so a CSV key also
 * finds the number or boolean it spells: cell '42' matches the record keys '42' and 42
 * (and '42.0' matches 42), 'true' matches true. JSON rows keep their types: 1 and '1' differ.
 */
export async function loadMemoryTable(params: ParamsOf<'lookup'>, baseDir: string, fileRoots: readonly string[] = []): Promise<Map<string, Rec>> {
  const csv = !params.rows && params.path!.endsWith('.csv');
  const rows = params.rows ?? (await readRows(requireAllowedFile(params.path!, { baseDir, roots: fileRoots })));
  const table = new Map<string, Rec>();
  for (const row of rows) {
    const k = row[params.keyField];
    table.set(keyString(k), row);
    if (csv && typeof k === 'string') {
      const typed = cellValue(k);
      if (typed !== undefined && !table.has(keyString(typed))) table.set(keyString(typed), row);
    }
  }
  return table;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number or boolean a CSV cell spells, if any. */
function cellValue(cell: string): number | boolean | undefined {
  const t = cell.trim();
  if (NUMBER.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return undefined;
}

async function readRows(path: string): Promise<Rec[]> {
  const text = await readFile(path, 'utf8');
  if (path.endsWith('.csv')) {
    try {
      return parseCsvText(text);
    } catch (err) {
      throw new Error(`lookup table ${path}: ${(err as Error).message}`);
    }
  }
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.map((l, i) => {
    try {
      return JSON.parse(l) as Rec;
    } catch (err) {
      throw new Error(`lookup table ${path}, line ${i + 1}: ${(err as Error).message}`);
    }
  });
}
