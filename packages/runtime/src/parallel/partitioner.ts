import { compileExpression, getKind, type PartitionKey, type Partitioning, type PipelineNode, type RecordSchema } from '@eddy/shared';
import type { Rec } from '../core/batch.js';
import { keyString, makeKeyExtractor } from '../core/keys.js';

/**
 * Key groups, as Flink's: every key hashes to one of MAX_KEY_GROUPS groups, and a subtask
 * owns a contiguous range of groups. State is kept and restored per key group, so a
 * checkpoint taken at one parallelism restores at another (up to MAX_KEY_GROUPS subtasks).
 */
export const MAX_KEY_GROUPS = 128;

/** FNV-1a over the key's string form, then a murmur finaliser: groups stay even for keys that differ in one character. */
export function keyGroupOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % MAX_KEY_GROUPS;
}

/** The subtask that owns a key group at a parallelism (Flink's KeyGroupRangeAssignment). */
export const subtaskOfKeyGroup = (group: number, parallelism: number): number => Math.floor((group * parallelism) / MAX_KEY_GROUPS);

/** A node's partitioning from its kind (absent: forward; a stateful kind without one: single, the safe choice). */
export function partitioningOf(node: PipelineNode): Partitioning {
  const def = getKind(node.kind);
  if (def?.partitioning) return def.partitioning(node.params as never);
  return def?.stateful ? 'single' : 'forward';
}

/**
 * The string of a record's key, built as the operator builds it (same fields, same
 * expression), so equal keys meet in one subtask. A key the expression cannot compute goes
 * to the group of the empty key: the operator there computes it again and dead-letters the record.
 */
export function keyReader(key: PartitionKey, schema: RecordSchema | undefined): (r: Rec) => string {
  if ('fields' in key) return makeKeyExtractor(key.fields).stringOf;
  const fn = compileExpression(key.expression, schema);
  return (r) => {
    try {
      return keyString(fn(r));
    } catch {
      return '';
    }
  };
}
