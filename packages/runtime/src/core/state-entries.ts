import type { KeyedStateBackend } from '../state/keyed-state.js';

/** A state view query: entries whose key contains `key` and/or starts with `prefix`, at most `limit`. */
export interface StateQuery { key?: string; prefix?: string; limit?: number }

/** [state name, key, value] */
export type StateEntry = [string, string, unknown];

/** What one thread holds of a node's keyed state for the state view. */
export interface StateAnswer { keys: number; bytes: number; entries: StateEntry[] }

/** The query's limit: 100 unless asked, at most 10 000. */
export function stateLimit(query: StateQuery): number {
  return Math.max(1, Math.min(query.limit ?? 100, 10_000));
}

/**
 * Order of the state view: by state name, then key (code units). A fixed order, not the
 * backend's (insertion order in memory), so a limited view is the same whichever thread or
 * backend holds the keys — a parallel job's subtasks' views merge into the single-thread one.
 */
export function compareEntries(a: StateEntry, b: StateEntry): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** The first `limit` entries matching the query, in view order, with the backend's key count and size. */
export function stateAnswer(backend: KeyedStateBackend, query: StateQuery): StateAnswer {
  const entries: StateEntry[] = [];
  for (const [name, pairs] of Object.entries(backend.snapshot())) {
    for (const [key, value] of pairs) {
      if (query.key !== undefined && !key.includes(query.key)) continue;
      if (query.prefix !== undefined && !key.startsWith(query.prefix)) continue;
      entries.push([name, key, value]);
    }
  }
  entries.sort(compareEntries);
  return { keys: backend.keyCount(), bytes: backend.approximateBytes(), entries: entries.slice(0, stateLimit(query)) };
}
