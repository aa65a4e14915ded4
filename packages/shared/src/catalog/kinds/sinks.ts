import { z } from 'zod';
import { defineKind } from '../define.js';

const noOutputs = () => ({});

export const sinkLive = defineKind({
  kind: 'sink.live',
  category: 'sink',
  title: 'Live table',
  doc: 'Keeps the latest rows for the dashboard: shown live in the bottom panel and served at /api/pipelines/:id/nodes/:nodeId/rows.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({ maxRows: z.number().int().min(1).max(10_000).default(200).describe('Rows kept, newest first') }).strict(),
  defaults: { maxRows: 200 },
  outputSchema: noOutputs,
});

export const sinkLog = defineKind({
  kind: 'sink.log',
  category: 'sink',
  title: 'Log',
  doc: 'Writes each record as one JSON line to the log (standard output on the command line, the server log when deployed).',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({ prefix: z.string().max(100).default('').describe('Text before each line') }).strict(),
  defaults: { prefix: '' },
  outputSchema: noOutputs,
});

export const sinkFile = defineKind({
  kind: 'sink.file',
  category: 'sink',
  title: 'File',
  doc: 'Appends records to a JSON-lines or CSV file (relative paths resolve like the file source).',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [],
  params: z.object({
    path: z.string().min(1).describe('File path, e.g. out.jsonl'),
    format: z.enum(['jsonl', 'csv']).default('jsonl'),
  }).strict(),
  defaults: { path: 'out.jsonl', format: 'jsonl' },
  outputSchema: noOutputs,
});
