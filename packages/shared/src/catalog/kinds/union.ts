import { z } from 'zod';
import { defineKind, inputOf } from '../define.js';

export const union = defineKind({
  kind: 'union',
  category: 'transform',
  eventTime: 'passes',
  stateful: false,
  title: 'Union',
  doc:
    'Merges several streams into one. Its watermark is the minimum of its inputs\' (an idle input with an ' +
    '`idleTimeout` does not hold it back). A field present on every input keeps its type.',
  inputs: [{ name: 'in', multiple: true }],
  outputs: [{ name: 'out' }],
  params: z.object({}).strict(),
  defaults: {},
  outputSchema: ({ inputs }) => ({ out: inputOf(inputs) }),
});
