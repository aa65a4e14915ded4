import { z } from 'zod';
import { defineKind, expression, inputOf, outputName } from '../define.js';
import type { FieldSchema } from '../../schema/record-schema.js';

export const map = defineKind({
  kind: 'map',
  category: 'transform',
  eventTime: 'passes',
  stateful: false,
  title: 'Map',
  doc:
    'Computes fields from expressions, e.g. `gross = amount * 1.19`. With `keep` the other input fields pass ' +
    'through (a computed field of the same name replaces one); without it only the computed fields remain (as SQL SELECT).',
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params: z.object({
    fields: z.array(z.object({
      name: outputName(),
      expr: expression(),
    }).strict()).min(1, 'Add at least one field').max(500),
    keep: z.boolean().default(false).describe('Keep the input fields as well'),
  }).strict(),
  defaults: { fields: [{ name: 'value', expr: '1' }], keep: false },
  outputSchema: ({ params, inputs, typeOf }) => {
    const input = inputOf(inputs);
    const fields: Record<string, FieldSchema> = params.keep ? { ...input.fields } : {};
    // A bare copy of a whole-number field stays whole (BIGINT in Flink); any other expression is a number.
    for (const f of params.fields) fields[f.name] = { type: typeOf(f.expr), ...(input.fields[f.expr.trim()]?.integer && { integer: true }) };
    return { out: { fields, open: params.keep && input.open } };
  },
  expressions: (p) => p.fields.map((f, i) => ({ path: ['fields', i, 'expr'], source: f.expr, port: 'in' })),
});
