import { z } from 'zod';
import { defineKind, duration, expression, inputOf, outputName, secretOr } from '../define.js';
import type { FieldSchema, ValueType } from '../../schema/record-schema.js';

const fieldName = outputName();

export const lookup = defineKind({
  kind: 'lookup',
  category: 'join',
  eventTime: 'passes',
  stateful: false,
  title: 'Lookup',
  doc:
    'Enriches each record from a table keyed by `keyField` (a feature store, a dimension table): the value ' +
    'of `key` on the record finds the row, and the row\'s `fields` are added to the record. The `memory` ' +
    'store holds `rows` given here or read from a JSON-lines/CSV `path` when the pipeline starts; `redis` reads ' +
    'the hash (or JSON string) at `keyPrefix` + key (hash values that read as numbers, true, false or null become those); `postgres` reads the row of `table` whose `keyField` equals ' +
    'the key. Remote stores are asked once per batch for the keys not in the cache (`cacheTtl`). On a miss, ' +
    '`onMiss` decides: `null` adds the fields as NULL, `drop` drops the record, `dead-letter` sends it to the ' +
    'dead letters.',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params: z.object({
    store: z.enum(['memory', 'redis', 'postgres']).default('memory').describe('Where the table lives'),
    rows: z.array(z.record(z.string(), z.unknown())).optional().describe('memory: the table, inline'),
    path: z.string().optional().describe('memory: the table as a JSON-lines or CSV file (instead of rows); a CSV key cell such as 42 matches the record key 42 or \'42\''),
    url: secretOr(z.string().min(1)).optional()
      .describe('redis or postgres: connection URL, e.g. redis://127.0.0.1:6379, or { "secret": "NAME" }'),
    keyPrefix: z.string().max(200).default('').describe('redis: prefix of the keys, e.g. features:user:'),
    valueFormat: z.enum(['hash', 'json']).default('hash').describe('redis: a hash per key, or a JSON object string'),
    table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, 'A table name, e.g. users or crm.users')
      .optional().describe('postgres: the table to read'),
    keyField: fieldName.describe('The table column that holds the key'),
    key: expression().describe('The key on the incoming record, e.g. ad_id'),
    fields: z.array(fieldName).default([]).describe('Columns to add; empty = every column but the key'),
    onMiss: z.enum(['null', 'drop', 'dead-letter']).default('null'),
    cacheTtl: duration().optional().describe('redis, postgres: how long a looked-up row (or a miss) may be reused'),
  }).strict().superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (p.store === 'memory') {
      if (!p.rows && !p.path) issue('rows', 'Give the table as rows or a path');
      if (p.rows && p.path) issue('path', 'Give rows or a path, not both');
      if (p.url) issue('url', 'A memory table has no url: give rows or a path');
    } else {
      if (!p.url) issue('url', `A ${p.store} lookup needs a url`);
      if (p.rows || p.path) issue(p.rows ? 'rows' : 'path', `rows and path are for the memory store, not ${p.store}`);
      if (p.store === 'postgres' && !p.table) issue('table', 'A postgres lookup needs a table');
    }
    if (p.rows) {
      p.rows.forEach((r, i) => {
        if (!(p.keyField in r)) ctx.addIssue({ code: 'custom', path: ['rows', i], message: `Row ${i} has no key field '${p.keyField}'` });
      });
    }
  }),
  defaults: { store: 'memory', rows: [{ id: 'a', label: 'A' }], keyPrefix: '', valueFormat: 'hash', keyField: 'id', key: 'id', fields: [], onMiss: 'null' },
  outputSchema: ({ params, inputs }) => {
    const input = inputOf(inputs);
    const fields: Record<string, FieldSchema> = { ...input.fields };
    const columns = params.fields.length
      ? params.fields
      : [...new Set((params.rows ?? []).flatMap((r) => Object.keys(r)))].filter((c) => c !== params.keyField);
    for (const c of columns) fields[c] = { type: columnType(params.rows, c) };
    // Without declared fields, a table read from a file or a remote store adds columns known only at run time.
    return { out: { fields, open: input.open || (!params.rows && !params.fields.length) || undefined } };
  },
  expressions: (p) => [{ path: ['key'], source: p.key, port: 'in' }],
  files: (p) => (p.path === undefined ? [] : [{ path: ['path'], file: p.path, access: 'read' as const }]),
});

function columnType(rows: Record<string, unknown>[] | undefined, column: string): ValueType {
  const v = rows?.find((r) => r[column] !== null && r[column] !== undefined)?.[column];
  if (v === undefined) return 'any';
  return Array.isArray(v) ? 'array' : v === null ? 'any' : (typeof v as ValueType);
}
