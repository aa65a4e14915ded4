import { z } from 'zod';
import { defineKind, expression, inputOf } from '../define.js';

export const filter = defineKind({
  kind: 'filter',
  category: 'transform',
  eventTime: 'passes',
  stateful: false,
  title: 'Filter',
  doc: "Keeps the records for which `where` is true (NULL counts as false), e.g. `event_type = 'page_view'`.",
  inputs: [{ name: 'in' }],
  outputs: [{ name: 'out' }],
  params: z.object({ where: expression().describe("Condition, e.g. price > 100 AND country IN ('DE', 'AT')") }).strict(),
  defaults: { where: 'true' },
  outputSchema: ({ inputs }) => ({ out: inputOf(inputs) }),
  expressions: (p) => [{ path: ['where'], source: p.where, port: 'in', expect: 'boolean' }],
});
