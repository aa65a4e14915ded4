import { z } from 'zod';
import { defineKind, eventTimeParams, fieldName } from '../define.js';
import type { FieldSchema, RecordSchema } from '../../schema/record-schema.js';

const declaredField = z.object({
  name: fieldName(),
  type: z.enum(['string', 'number', 'boolean', 'object', 'array', 'any']).default('string'),
}).strict();

export const sourceFile = defineKind({
  kind: 'source.file',
  category: 'source',
  title: 'File',
  doc:
    'Reads records from a JSON-lines or CSV file. A relative path resolves against the pipeline file (command line) ' +
    'or the server data folder. Declare `fields` to get type checking and completion downstream; CSV values of ' +
    'number fields are parsed as numbers. Bounded: the pipeline finishes when the file is read.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    path: z.string().min(1).describe('File path, e.g. events.jsonl'),
    format: z.enum(['jsonl', 'csv']).default('jsonl'),
    ratePerSec: z.number().min(0).default(0).describe('Records per second; 0 = as fast as possible'),
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: z.array(declaredField).optional().describe('Declared record fields; without them the schema is open'),
    delimiter: z.string().length(1).default(',').describe('CSV delimiter'),
  }).strict(),
  defaults: { path: 'events.jsonl', format: 'jsonl', ratePerSec: 0, delimiter: ',' },
  outputSchema: ({ params }) => {
    if (!params.fields?.length) return { out: { fields: {}, open: true } };
    const fields: Record<string, FieldSchema> = {};
    for (const f of params.fields) fields[f.name] = { type: f.type, timestamp: f.name === params.eventTime?.field || undefined };
    const schema: RecordSchema = { fields };
    return { out: schema };
  },
  bounded: () => true,
  delivery: { source: 'replayable' },
});
