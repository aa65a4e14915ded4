import { describe, expect, it } from 'vitest';
import { groupErrors, namesNode } from './node-errors';

describe('groupErrors', () => {
  it('groups one node’s dead letters by reason, numbers aside, most frequent first', () => {
    const d = (nodeId: string, reason: string, at: number) => ({ nodeId, reason, at, record: null });
    const groups = groupErrors([
      d('orders', 'jsonl: line 7: Unexpected token', 100), d('orders', 'jsonl: line 9: Unexpected token', 300),
      d('orders', 'field price is not a number', 200), d('other', 'jsonl: line 1: Unexpected token', 50),
    ], 'orders');
    expect(groups).toEqual([
      { pattern: 'jsonl: line #: Unexpected token', example: 'jsonl: line 9: Unexpected token', count: 2, first: 100, last: 300 },
      { pattern: 'field price is not a number', example: 'field price is not a number', count: 1, first: 200, last: 200 },
    ]);
  });
  it('a job error names its node in quotes', () => {
    expect(namesNode("node 'orders' failed: boom", 'orders')).toBe(true);
    expect(namesNode("node 'orders2' failed", 'orders')).toBe(false);
  });
});
