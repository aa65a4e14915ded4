import type { NodeKind, PipelineNode } from '@eddy/shared';
import type { NodeSnapshot } from '../core/checkpoint-coordinator.js';
import type { TimerSnapshot } from '../core/timer-service.js';
import { keyGroupOf, partitioningOf, subtaskOfKeyGroup } from './partitioner.js';

/**
 * How to read a stateful operator's checkpoint by key: for a state entry or a timer, the
 * key string its records were partitioned by (null: the entry belongs to every subtask,
 * e.g. an aligned window's per-end timer). These mirror the operators' own key layouts
 * (operators/window, join, dedupe); the rescale tests restore each at other parallelisms.
 */
interface StateKeys {
  entry(map: string, stateKey: string): string | null;
  timer(key: string, namespace: string): string | null;
  /** Splits the operator's own snapshot (beside keyed state) for the subtasks. */
  operator?(snapshot: unknown, parallelism: number, subtaskOf: (key: string) => number): unknown[];
}

/** `${end}|${key}`: the key after the window end (a key may itself hold '|'). */
const afterEnd = (stateKey: string) => stateKey.slice(stateKey.indexOf('|') + 1);
const whole: StateKeys = { entry: (_m, k) => k, timer: (k) => k };

type StatefulKind = Extract<NodeKind, 'window' | 'join' | 'dedupe'>;

const STATE_KEYS = {
  window: (node) => {
    if ((node.params as { type?: string }).type === 'session') return whole;
    return {
      entry: (_m, k) => afterEnd(k),
      timer: (k, ns) => (ns === 'end' ? null : afterEnd(k)),
      operator: (snapshot, parallelism, subtaskOf) => {
        const ends = (snapshot as { ends?: [number, string[]][] } | undefined)?.ends ?? [];
        // Every instance lists its own keys under the same ends: one list per end and subtask.
        const byEnd = new Map<number, string[][]>();
        for (const [end, keys] of ends) {
          let lists = byEnd.get(end);
          if (!lists) byEnd.set(end, (lists = Array.from({ length: parallelism }, () => [])));
          for (const k of keys) lists[subtaskOf(afterEnd(k))].push(k);
        }
        const split = Array.from({ length: parallelism }, () => ({ ends: [] as [number, string[]][] }));
        for (const [end, lists] of byEnd) lists.forEach((l, i) => { if (l.length) split[i].ends.push([end, l]); });
        return split;
      },
    };
  },
  join: (node) => {
    if (!(node.params as { window?: unknown }).window) return whole;
    // A window join's pane `${end}|${key}`; a null key is '\u0001null' there (keyString(null) when routed).
    const key = (id: string) => { const k = afterEnd(id); return k === '\u0001null' ? '\u0000null' : k; };
    return { entry: (_m, k) => key(k), timer: (k) => key(k) };
  },
  dedupe: () => whole,
} satisfies Record<StatefulKind, (node: PipelineNode) => StateKeys>;

const FIRST = Symbol('subtask 0');

export const isRescalable = (kind: string): kind is StatefulKind => kind in STATE_KEYS;

/**
 * Re-partitions a node's snapshots, taken by `instances.length` subtasks, for `parallelism`
 * subtasks: every state entry and timer goes to the subtask owning its key's group, as
 * Flink's key groups. Watermarks per input do not carry over (the channels differ); the
 * node's watermark restarts from the sources' restored trackers.
 */
export function rescaleSnapshots(node: PipelineNode, instances: NodeSnapshot[], parallelism: number): NodeSnapshot[] {
  const subtaskOf = (key: string) => subtaskOfKeyGroup(keyGroupOf(key), parallelism);
  // State without a key (a window without keyBy) lives whole in subtask 0, where its records go.
  const keys: StateKeys | null = isRescalable(node.kind) && partitioningOf(node) !== 'single' ? STATE_KEYS[node.kind](node) : null;
  const out: NodeSnapshot[] = Array.from({ length: parallelism }, () => ({
    watermarks: { inputs: [], idle: [], watermark: -Infinity, timers: { event: [], processing: [] } },
    state: new Map(),
  }));
  const place = (key: string | null | typeof FIRST, put: (s: NodeSnapshot) => void) => {
    if (key === null) out.forEach(put);
    else put(out[key === FIRST ? 0 : subtaskOf(key)]);
  };
  const seenTimers = new Set<string>();
  for (const inst of instances) {
    for (const [map, entries] of inst.state) {
      for (const [k, v] of entries) {
        // A stateless node keeps no keyed state; anything else without a known layout stays whole in subtask 0.
        const key = keys ? keys.entry(map, k) : null;
        place(keys ? key : FIRST, (s) => {
          let m = s.state.get(map);
          if (!m) s.state.set(map, (m = new Map()));
          m.set(k, v);
        });
      }
    }
    const timers = inst.watermarks.timers as TimerSnapshot | undefined;
    for (const kind of ['event', 'processing'] as const) {
      for (const [time, k, ns] of timers?.[kind] ?? []) {
        const id = `${kind}\u0000${time}\u0000${k}\u0000${ns}`;
        if (seenTimers.has(id)) continue;
        seenTimers.add(id);
        place(keys ? keys.timer(k, ns) : FIRST, (s) => (s.watermarks.timers as TimerSnapshot)[kind].push([time, k, ns]));
      }
    }
  }
  const operators = instances.map((i) => i.operator).filter((o) => o !== undefined);
  if (operators.length && keys?.operator) {
    const merged = { ends: operators.flatMap((o) => (o as { ends?: [number, string[]][] }).ends ?? []) };
    keys.operator(merged, parallelism, subtaskOf).forEach((o, i) => { out[i].operator = o; });
  } else if (operators.length) out[0].operator = operators[0];
  return out;
}
