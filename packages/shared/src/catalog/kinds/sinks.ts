import { z } from 'zod';
import { defineKind } from '../define.js';

const noOutputs = () => ({});

export const sinkLive = defineKind({
  kind: 'sink.live',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'Live table',
  doc: 'Keeps the latest rows for the dashboard: shown live in the bottom panel and served at /api/pipelines/:id/nodes/:nodeId/rows.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({ maxRows: z.number().int().min(1).max(10_000).default(200).describe('Rows kept, newest first') }).strict(),
  defaults: { maxRows: 200 },
  outputSchema: noOutputs,
  delivery: { sink: 'view', why: 'a live table is a view of what arrives: after a restore it may show replayed rows again' },
});

export const sinkLog = defineKind({
  kind: 'sink.log',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'Log',
  doc: 'Writes each record as one JSON line to the log (standard output on the command line, the server log when deployed).',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({ prefix: z.string().max(100).default('').describe('Text before each line') }).strict(),
  defaults: { prefix: '' },
  outputSchema: noOutputs,
  delivery: { sink: 'at-least-once', why: 'a log line cannot be taken back: after a crash, replayed records are logged again' },
});

export const sinkFile = defineKind({
  kind: 'sink.file',
  category: 'sink',
  eventTime: 'passes',
  stateful: false,
  title: 'File',
  doc: 'Writes records to a JSON-lines or CSV file (relative paths resolve like the file source). It never ' +
    'replaces a file it did not create (a hidden `.<name>.eddy` marker beside the file records what it ' +
    'created) unless `overwrite` is set. With ' +
    'exactly-once, records go to a pending part file that is appended to the file only when the checkpoint ' +
    'that covers them completes; a restart after a crash truncates the file to its last committed length.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    path: z.string().min(1).describe('File path, e.g. out.jsonl')
      .refine((p) => !/(^|[\\/])\.[^\\/]*\.(eddy|parts)$/.test(p), 'Names like .out.jsonl.eddy and .out.jsonl.parts are the file sink\'s own bookkeeping'),
    format: z.enum(['jsonl', 'csv']).default('jsonl'),
    overwrite: z.boolean().default(false).describe('Replace an existing file this sink did not create'),
  }).strict(),
  defaults: { path: 'out.jsonl', format: 'jsonl', overwrite: false },
  outputSchema: noOutputs,
  delivery: { sink: 'transactional' },
  files: (p) => [{ path: ['path'], file: p.path, access: 'write' }],
  // The checkpoint holds the committed length of this file and its sealed parts: restored
  // into another path it would truncate that file at the old length.
  stateFingerprint: (p) => ({ path: p.path, format: p.format }),
});
