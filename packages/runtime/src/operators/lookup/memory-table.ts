import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { keyString } from '../keys.js';
import { CsvParser } from '../../sources/csv.js';

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
