import { z } from 'zod';
import { defineKind, expression, inputOf, outputName, type PortSpec } from '../define.js';

const portName = outputName('A port name')
  .refine((p) => p !== 'default' && p !== 'in', 'default and in are reserved port names');

export const route = defineKind({
  kind: 'route',
  category: 'transform',
  eventTime: 'passes',
  stateful: false,
  title: 'Route',
  doc:
    'Sends each record to the output port of the first route whose condition holds (or of every such route ' +
    'with `match: all`); records that match no route leave on `default`. Connect each port to its own branch.',
  inputs: [{ name: 'in' }],
  outputs: (p: { routes: { port: string }[] }): PortSpec[] => [...p.routes.map((r) => ({ name: r.port })), { name: 'default' }],
  params: z.object({
    routes: z.array(z.object({ port: portName, where: expression() }).strict()).min(1, 'Add at least one route').max(100)
      .refine((rs) => new Set(rs.map((r) => r.port)).size === rs.length, 'Each route needs its own port name'),
    match: z.enum(['first', 'all']).default('first').describe('first: the first matching route only; all: every matching route'),
  }).strict(),
  defaults: { routes: [{ port: 'high', where: 'true' }], match: 'first' },
  outputSchema: ({ params, inputs }) => {
    const input = inputOf(inputs);
    return Object.fromEntries([...params.routes.map((r) => r.port), 'default'].map((p) => [p, input]));
  },
  expressions: (p) => p.routes.map((r, i) => ({ path: ['routes', i, 'where'], source: r.where, port: 'in', expect: 'boolean' as const })),
});
