import type { Rec } from '../../core/batch.js';

/** CSV with a header from the first record's fields; values quoted when they need it. */
export function csvLine(values: unknown[]): string {
  return values.map(csvCell).join(',');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function jsonLines(records: Rec[]): string {
  let out = '';
  for (const r of records) out += JSON.stringify(r) + '\n';
  return out;
}
