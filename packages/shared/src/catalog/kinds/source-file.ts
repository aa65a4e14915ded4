import { z } from 'zod';
import { declaredFields, declaredSchema, defineKind, eventTimeParams } from '../define.js';


export const sourceFile = defineKind({
  kind: 'source.file',
  category: 'source',
  eventTime: 'assigns',
  stateful: false,
  title: 'File',
  doc:
    'Reads records from a JSON-lines or CSV file. A relative path resolves against the pipeline file (command line) ' +
    'or the server data folder. Declare `fields` to get type checking and completion downstream. CSV is RFC 4180 ' +
    '(a header record first; quoted cells may hold the delimiter, doubled quotes and line breaks; LF or CRLF). ' +
    'CSV cells of declared number and integer fields become numbers (empty = NULL; anything but a decimal number, ' +
    'or a whole one for integer, is a dead letter), boolean fields true/false, other cells stay strings. Bounded: the pipeline finishes when the file is read.',
  inputs: [],
  outputs: [{ name: 'out' }],
  params: z.object({
    path: z.string().min(1).describe('File path, e.g. events.jsonl'),
    format: z.enum(['jsonl', 'csv']).default('jsonl'),
    ratePerSec: z.number().min(0).max(10_000_000).default(0).describe('Records per second; 0 = as fast as possible'),
    eventTime: eventTimeParams().optional().describe('Without it the source stamps ingestion time'),
    fields: declaredFields(),
    delimiter: z.string().length(1).default(',').describe('CSV delimiter'),
  }).strict(),
  defaults: { path: 'events.jsonl', format: 'jsonl', ratePerSec: 0, delimiter: ',' },
  outputSchema: ({ params }) => ({ out: declaredSchema(params) }),
  files: (p) => [{ path: ['path'], file: p.path, access: 'read' }],
  bounded: () => true,
  // Read as fast as possible: JSON lines cut at line ends, CSV at record ends (a line end outside
  // quotes: a quoted cell may hold line breaks), each piece with the header. Paced reading stays whole.
  splittable: (p) => !(p.ratePerSec > 0) && !p.eventTime?.idleTimeout,
  delivery: { source: 'replayable' },
  // The offset is a byte position in this file read in this format; rate and event-time settings do not move it.
  stateFingerprint: (p) => ({ path: p.path, format: p.format }),
});
