import { describe, expect, it } from 'vitest';
import type { PipelineNode } from '@eddy/shared';
import { keyGroupOf, keyReader, MAX_KEY_GROUPS, partitioningOf, subtaskOfKeyGroup } from './partitioner.js';

const keys = Array.from({ length: 10_000 }, (_v, i) => `user-${i}`);

describe('keyGroupOf', () => {
  it('puts every key in a group within 0..MAX_KEY_GROUPS-1', () => {
    for (const k of [...keys, '', '\u0000null', '\u00001', 'ü'.repeat(300)]) {
      const g = keyGroupOf(k);
      expect(Number.isInteger(g)).toBe(true);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThan(MAX_KEY_GROUPS);
    }
  });

  it('is stable: a key lands in the same group every time, so a checkpoint restores by it', () => {
    // Built afresh each time (not the same string object).
    for (let i = 0; i < 500; i++) expect(keyGroupOf(['user', String(i)].join('-'))).toBe(keyGroupOf(keys[i]));
    // Pinned: a change of hash would scatter restored state over the wrong subtasks.
    expect(['', 'a', 'user-1', '\u000042', 'hot'].map(keyGroupOf)).toEqual([1, 71, 55, 36, 102]);
  });

  it('spreads 10 000 keys that differ in one character evenly-ish over the groups', () => {
    const counts = new Array<number>(MAX_KEY_GROUPS).fill(0);
    for (const k of keys) counts[keyGroupOf(k)]++;
    const mean = keys.length / MAX_KEY_GROUPS; // ≈ 78
    expect(Math.min(...counts)).toBeGreaterThan(mean * 0.5);
    expect(Math.max(...counts)).toBeLessThan(mean * 1.5);
  });

  it('spreads numeric keys (as keyString writes them) evenly-ish over subtasks too', () => {
    for (const n of [2, 3, 4]) {
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < 10_000; i++) counts[subtaskOfKeyGroup(keyGroupOf(`\u0000${i}`), n)]++;
      for (const c of counts) expect(Math.abs(c - 10_000 / n)).toBeLessThan(10_000 / n * 0.2);
    }
  });
});

describe('subtaskOfKeyGroup', () => {
  it.each([1, 2, 3, 4, 7, 16, 64, 128])('gives %i subtasks contiguous, non-empty ranges covering 0..N-1', (n) => {
    const owners = Array.from({ length: MAX_KEY_GROUPS }, (_v, g) => subtaskOfKeyGroup(g, n));
    expect(owners[0]).toBe(0);
    expect(owners[MAX_KEY_GROUPS - 1]).toBe(n - 1);
    for (let g = 1; g < MAX_KEY_GROUPS; g++) expect(owners[g] - owners[g - 1]).toBeGreaterThanOrEqual(0);
    for (let g = 1; g < MAX_KEY_GROUPS; g++) expect(owners[g] - owners[g - 1]).toBeLessThanOrEqual(1);
    expect(new Set(owners).size).toBe(n);
    // Ranges differ in size by at most one group.
    const sizes = Array.from({ length: n }, (_v, k) => owners.filter((o) => o === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe('keyReader', () => {
  const node = (kind: string, params: Record<string, unknown>) => ({ id: 'n', kind, params }) as PipelineNode;

  it('builds the key string as the operators do (keyBy fields; expressions through keyString)', () => {
    const partitioning = partitioningOf(node('window', { type: 'tumbling', size: '1s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }] }));
    expect(partitioning).toEqual({ in: { fields: ['user'] } });
    const byField = keyReader({ fields: ['user'] }, undefined);
    expect(byField({ user: 'ann' })).toBe('ann');
    expect(byField({ user: 7 })).toBe('\u00007');
    expect(byField({})).toBe('\u0000null');
    const byExpr = keyReader({ expression: 'user' }, undefined);
    expect(byExpr({ user: 'ann' })).toBe('ann');
    expect(byExpr({ user: 7 })).toBe('\u00007');
  });

  it('routes a key the expression cannot compute to the empty key', () => {
    expect(keyReader({ expression: 'UPPER(user)' }, undefined)({ user: 7 })).toBe('');
  });

  it('gives stateful kinds without a key the single partitioning, stateless ones forward', () => {
    expect(partitioningOf(node('window', { type: 'tumbling', size: '1s', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }] }))).toBe('single');
    expect(partitioningOf(node('filter', { where: 'true' }))).toBe('forward');
  });
});
