import { z } from 'zod';
import { endpoint } from '../fingerprint.js';
import { defineKind, fieldName, secretOr } from '../define.js';

const identifier = () =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/, 'A table name, e.g. views or analytics.views');

export const sinkPostgres = defineKind({
  kind: 'sink.postgres',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'Postgres',
  doc: 'Writes records into a Postgres table, one column per input field (created when missing). ' +
    '`append` inserts; `upsert` inserts or updates by `key`. With exactly-once, the records between two ' +
    'checkpoints are kept in the checkpoint and written in one transaction, together with the checkpoint id, ' +
    'when the checkpoint completes — so a restart never writes them twice. Otherwise each batch is written at once.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    url: secretOr(z.string().min(1)).describe('Connection URL, e.g. postgres://user@host:5432/db, or { "secret": "PG_URL" }'),
    table: identifier().describe('Target table'),
    mode: z.enum(['append', 'upsert']).default('append'),
    key: z.array(fieldName()).default([]).describe('Key fields for upsert (the table\'s primary key)'),
    createTable: z.boolean().default(true).describe('Create the table from the input schema when it does not exist'),
  }).strict().refine((p) => p.mode !== 'upsert' || p.key.length > 0, { message: 'upsert needs at least one key field', path: ['key'] }),
  defaults: { url: 'postgres://postgres@127.0.0.1:5432/postgres', table: 'eddy_output', mode: 'append', key: [], createTable: true },
  outputSchema: () => ({}),
  fields: (p) => p.key.map((field, i) => ({ path: ['key', i], field, port: 'in' })),
  delivery: { sink: 'transactional' },
  // The checkpoint holds epochs of rows not yet known to be in this table on this server.
  stateFingerprint: (p) => ({ url: endpoint(p.url), table: p.table }),
});

