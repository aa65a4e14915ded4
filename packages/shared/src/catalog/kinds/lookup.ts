import { z } from 'zod';
import { defineKind, duration, expression, inputOf } from '../define.js';
import type { FieldSchema, ValueType } from '../../schema/record-schema.js';

const fieldName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'A field name: letters, digits and _');

export const lookup = defineKind({
  kind: 'lookup',
  category: 'join',
  title: 'Lookup',
  doc:
    'Enriches each record from a table keyed by `keyField` (a feature store, a dimension table): the value ' +
    'of `key` on the record finds the row, and the row\'s `fields` are added to the record. The `memory` ' +
    'store holds `rows` given here or read from a JSON-lines/CSV `path` when the pipeline starts. On a miss, ' +
    '`onMiss` decides: `null` adds the fields as NULL, `drop` drops the record, `dead-letter` sends it to the ' +
    'dead letters.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params: z.object({
    store: z.enum(['memory']).default('memory').describe('Where the table lives (Redis and Postgres follow)'),
    rows: z.array(z.record(z.string(), z.unknown())).optional().describe('The table, inline'),
    path: z.string().optional().describe('The table as a JSON-lines or CSV file (instead of rows)'),
    keyField: fieldName.describe('The table column that holds the key'),
    key: expression().describe('The key on the incoming record, e.g. ad_id'),
    fields: z.array(fieldName).default([]).describe('Columns to add; empty = every column but the key'),
    onMiss: z.enum(['null', 'drop', 'dead-letter']).default('null'),
    cacheTtl: duration().optional().describe('How long a looked-up row may be reused (remote stores)'),
  }).strict().superRefine((p, ctx) => {
    if (!p.rows && !p.path) ctx.addIssue({ code: 'custom', path: ['rows'], message: 'Give the table as rows or a path' });
    if (p.rows && p.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'Give rows or a path, not both' });
    if (p.rows) {
      p.rows.forEach((r, i) => {
        if (!(p.keyField in r)) ctx.addIssue({ code: 'custom', path: ['rows', i], message: `Row ${i} has no key field '${p.keyField}'` });
      });
    }
  }),
  defaults: { store: 'memory', rows: [{ id: 'a', label: 'A' }], keyField: 'id', key: 'id', fields: [], onMiss: 'null' },
  outputSchema: ({ params, inputs }) => {
    const input = inputOf(inputs);
    const fields: Record<string, FieldSchema> = { ...input.fields };
    const columns = params.fields.length
      ? params.fields
      : [...new Set((params.rows ?? []).flatMap((r) => Object.keys(r)))].filter((c) => c !== params.keyField);
    for (const c of columns) fields[c] = { type: columnType(params.rows, c) };
    // Without declared fields, a table read from a file adds columns known only at run time.
    return { out: { fields, open: input.open || (!params.rows && !params.fields.length) || undefined } };
  },
  expressions: (p) => [{ path: ['key'], source: p.key, port: 'in' }],
});

function columnType(rows: Record<string, unknown>[] | undefined, column: string): ValueType {
  const v = rows?.find((r) => r[column] !== null && r[column] !== undefined)?.[column];
  if (v === undefined) return 'any';
  return Array.isArray(v) ? 'array' : v === null ? 'any' : (typeof v as ValueType);
}
