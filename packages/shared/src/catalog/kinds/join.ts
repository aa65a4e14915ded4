import { z } from 'zod';
import { defineKind, duration, expression, inputOf } from '../define.js';
import { canonicalDuration } from '../fingerprint.js';
import type { FieldSchema, RecordSchema } from '../../schema/record-schema.js';

/** Right fields whose name the left side already has are renamed `right_<name>`. */
export function joinedSchema(left: RecordSchema, right: RecordSchema): RecordSchema {
  const fields: Record<string, FieldSchema> = { ...left.fields };
  for (const [name, f] of Object.entries(right.fields)) fields[name in left.fields ? `right_${name}` : name] = f;
  return { fields, open: left.open || right.open || undefined };
}

export const join = defineKind({
  kind: 'join',
  category: 'join',
  eventTime: 'uses',
  stateful: true,
  title: 'Join',
  doc:
    'Joins two streams on keys in event time. An interval join (`within`) pairs a left and a right record of ' +
    'the same key whose times differ by at most `within`; a window join (`window`) pairs those in the same ' +
    'tumbling window. `left` keeps unmatched left records with NULL right fields, emitted once no match can come ' +
    'any more. Right fields whose name the left has are renamed `right_<name>`. Interval join: a record is ' +
    'late (counted, dropped) when ts + within ≤ watermark; a buffered record stays until no on-time partner can ' +
    'match it, until the watermark reaches ts + 2 × within. Window join: a pane fires at end − 1; later records ' +
    'are late. Rows fired by the watermark are emitted before it goes on.',
  inputs: [{ name: 'left' }, { name: 'right' }],
  outputs: [{ name: 'out' }],
  params: z.object({
    type: z.enum(['inner', 'left']).default('inner'),
    leftKey: expression().describe('Key on the left record, e.g. id'),
    rightKey: expression().describe('Key on the right record, e.g. seller'),
    within: duration().optional().describe('Interval join: the largest time difference'),
    window: duration({ min: 1 }).optional().describe('Window join: the tumbling window size'),
  }).strict().superRefine((p, ctx) => {
    if (!p.within === !p.window) ctx.addIssue({ code: 'custom', path: ['within'], message: 'Give either within (interval join) or window (window join)' });
  }),
  defaults: { type: 'inner', leftKey: 'id', rightKey: 'id', within: '1m' },
  outputSchema: ({ inputs }) => ({ out: joinedSchema(inputOf(inputs, 'left'), inputOf(inputs, 'right')) }),
  expressions: (p) => [
    { path: ['leftKey'], source: p.leftKey, port: 'left' },
    { path: ['rightKey'], source: p.rightKey, port: 'right' },
  ],
  // Buffered records (interval join) or panes (window join) per key. The keys define what
  // a state key means; the window size what a pane is; within how long records are kept
  // (a larger one would miss matches among records already dropped); the type whether
  // unmatched left records were being tracked for their NULL row.
  partitioning: (p) => ({ left: { expression: p.leftKey }, right: { expression: p.rightKey } }),
  stateFingerprint: (p) => ({
    type: p.type, leftKey: p.leftKey, rightKey: p.rightKey,
    ...(p.within ? { within: canonicalDuration(p.within) } : { window: canonicalDuration(p.window) }),
  }),
});
