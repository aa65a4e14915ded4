import type { NodeState } from '../api.js';
import { compareEntries, stateLimit, type StateAnswer, type StateQuery } from '../core/state-entries.js';
import type { ToSubtask } from './protocol.js';

/** How long the state view waits for a subtask (one busy with a long operator call answers after it). */
export const STATE_QUERY_TIMEOUT_MS = 10_000;

interface Pending {
  answers: (StateAnswer | null)[];
  waiting: Set<number>;
  resolve: (answers: (StateAnswer | null)[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * State view queries from the host to the subtasks: each subtask holds the keys of its key
 * groups, so every one is asked (a numbered request over its port) and the answers combine.
 */
export class StateQueries {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (k: number, message: ToSubtask) => void) {}

  /** Asks subtasks 0…n-1 for their part of `nodeId`'s state; resolves with the answers by subtask. */
  ask(n: number, nodeId: string, query: StateQuery, timeoutMs = STATE_QUERY_TIMEOUT_MS): Promise<(StateAnswer | null)[]> {
    if (n === 0) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const late = [...this.pending.get(id)?.waiting ?? []].join(', ');
        this.settle(id, new Error(`Subtask ${late} did not answer the state query for '${nodeId}' within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { answers: new Array(n).fill(null), waiting: new Set(Array.from({ length: n }, (_v, k) => k)), resolve, reject, timer });
      for (let k = 0; k < n; k++) this.post(k, { t: 'state', id, nodeId, query });
    });
  }

  /** Subtask k's answer to query `id`. */
  answered(k: number, id: number, state: StateAnswer | null): void {
    const p = this.pending.get(id);
    if (!p || !p.waiting.delete(k)) return;
    p.answers[k] = state;
    if (!p.waiting.size) this.settle(id);
  }

  /** Subtask k is gone: the queries waiting for it fail. */
  lost(k: number): void {
    for (const [id, p] of this.pending) if (p.waiting.has(k)) this.settle(id, new Error(`Subtask ${k} ended before it answered the state query`));
  }

  private settle(id: number, err?: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (err) p.reject(err);
    else p.resolve(p.answers);
  }
}

/**
 * The subtasks' answers as one state view: keys and bytes summed, entries merged in view order
 * and cut at the limit — each subtask sent its first `limit`, so these are the job's first.
 * Undefined when no subtask runs the node.
 */
export function combineStateAnswers(nodeId: string, answers: (StateAnswer | null)[], query: StateQuery): NodeState | undefined {
  const parts = answers.filter((a): a is StateAnswer => a !== null);
  if (!parts.length) return undefined;
  const entries = parts.flatMap((a) => a.entries).sort(compareEntries).slice(0, stateLimit(query));
  return {
    nodeId,
    keys: parts.reduce((n, a) => n + a.keys, 0),
    bytes: parts.reduce((n, a) => n + a.bytes, 0),
    entries,
  };
}
