import { describe, expect, it } from 'vitest';
import { getKind, type PipelineNode } from '@eddy/shared';
import type { NodeSnapshot } from '../core/checkpoint-coordinator.js';
import type { OperatorContext } from '../core/operator.js';
import type { TimerSnapshot } from '../core/timer-service.js';
import { keyString } from '../core/keys.js';
import { AlignedWindowOperator } from '../operators/window/aligned-window-operator.js';
import { keyGroupOf, keyReader, partitioningOf, subtaskOfKeyGroup } from './partitioner.js';
import { rescaleSnapshots } from './rescale.js';

/**
 * Snapshots built by hand with the state keys and timers each operator writes (see
 * operators/window, dedupe, join), placed in the subtask the exchange routes their records
 * to; after a rescale every entry and timer must sit where the exchange now sends its key.
 */
type Timer = [number, string, string];
interface Entry { map: string; stateKey: string; value: unknown; timers: Timer[]; record: Record<string, unknown>; port: string }
interface Layout { node: PipelineNode; entries: Entry[]; shared?: Timer[]; operator?: (entries: Entry[]) => unknown }

// A skewed key, keys that differ in one character, numbers (keyString: NUL + JSON), a key holding '|', and null.
const USERS: unknown[] = ['hot', 'u1', 'u2', 'u3', 'u10', 'a|b', 7, 12, 'Zoë', null, ...Array.from({ length: 30 }, (_v, i) => `k${i}`)];
const node = (id: string, kind: string, params: Record<string, unknown>): PipelineNode =>
  ({ id, kind, params: getKind(kind)!.params.parse(params) as Record<string, unknown> });
const ks = (u: unknown) => keyString(u ?? null);

const tumbling = (emit: 'final' | 'updates'): Layout => {
  const ends = [5000, 10_000, -5000];
  const entries = ends.flatMap((end) => USERS.map((user): Entry => {
    const stateKey = `${end}|${ks(user)}`;
    const timers: Timer[] = emit === 'updates' ? [[end - 1, stateKey, 'fire'], [end - 1 + 2000, stateKey, 'clean']] : [];
    return { map: 'windows', stateKey, value: { start: end - 5000, end, key: [user], accs: [1] }, timers, record: { user }, port: 'in' };
  }));
  return {
    node: node('w', 'window', { type: 'tumbling', size: '5s', keyBy: ['user'], allowedLateness: '2s', emit, aggregates: [{ name: 'n', fn: 'count' }] }),
    entries,
    // emit final: one clean-up timer per end, for every key of that end (each subtask needs its own).
    shared: emit === 'final' ? ends.map((end): Timer => [end - 1 + 2000, String(end), 'end']) : [],
    operator: emit === 'final' ? (es) => ({ ends: ends.map((end) => [end, es.filter((e) => e.stateKey.startsWith(`${end}|`)).map((e) => e.stateKey)]) }) : undefined,
  };
};

const perKey = (n: PipelineNode, map: string, timeOf: (i: number) => number, port = 'in'): Layout => ({
  node: n,
  entries: USERS.map((user, i): Entry => ({ map, stateKey: ks(user), value: { i }, timers: [[timeOf(i), ks(user), '']], record: { user }, port })),
});

const windowJoin = (): Layout => {
  const n = node('j', 'join', { type: 'left', leftKey: 'user', rightKey: 'user', window: '5s' });
  // A left join keeps a pane for a NULL left key under '\u0001null' (routed as keyString(null)).
  const entries = [5000, 10_000].flatMap((end) => USERS.map((user): Entry => {
    const id = `${end}|${user === null ? '\u0001null' : ks(user)}`;
    return { map: 'panes', stateKey: id, value: { end, left: [{ user }], right: [] }, timers: [[end - 1, id, '']], record: { user }, port: 'left' };
  }));
  return { node: n, entries };
};

const LAYOUTS: [string, () => Layout][] = [
  ['tumbling window, emit final', () => tumbling('final')],
  ['tumbling window, emit updates', () => tumbling('updates')],
  ['session window', () => perKey(node('w', 'window', { type: 'session', gap: '5s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }] }), 'sessions', (i) => 1000 * i)],
  ['dedupe', () => perKey(node('d', 'dedupe', { key: 'user', within: '1m' }), 'seen', (i) => 60_000 + i)],
  ['interval join', () => perKey(node('j', 'join', { type: 'inner', leftKey: 'user', rightKey: 'user', within: '5s' }), 'buffers', (i) => 10_000 + i, 'right')],
  ['window join', windowJoin],
];

/** The subtask the exchange sends a record to at `parallelism`. */
function routeOf(layout: Layout, e: Entry, parallelism: number): number {
  const partitioning = partitioningOf(layout.node);
  if (partitioning === 'single' || partitioning === 'forward') throw new Error('keyed layouts only');
  return subtaskOfKeyGroup(keyGroupOf(keyReader(partitioning[e.port], undefined)(e.record)), parallelism);
}

const emptySnapshot = (): NodeSnapshot => ({ watermarks: { inputs: [-Infinity], idle: [false], watermark: -Infinity, timers: { event: [], processing: [] } }, state: new Map() });

/** The layout as `parallelism` subtasks would have checkpointed it. */
function snapshotsAt(layout: Layout, parallelism: number): NodeSnapshot[] {
  const out = Array.from({ length: parallelism }, emptySnapshot);
  const bySubtask = Array.from({ length: parallelism }, () => [] as Entry[]);
  for (const e of layout.entries) {
    const k = routeOf(layout, e, parallelism);
    bySubtask[k].push(e);
    const s = out[k];
    if (!s.state.has(e.map)) s.state.set(e.map, new Map());
    s.state.get(e.map)!.set(e.stateKey, e.value);
    (s.watermarks.timers as TimerSnapshot).event.push(...e.timers);
  }
  out.forEach((s, k) => {
    // A subtask registers a shared (per-end) timer only when it has a window of that end.
    for (const t of layout.shared ?? []) if (bySubtask[k].some((e) => e.stateKey.startsWith(`${t[1]}|`))) (s.watermarks.timers as TimerSnapshot).event.push(t);
    const op = layout.operator?.(bySubtask[k]);
    if (op && (op as { ends: [number, string[]][] }).ends.some(([, keys]) => keys.length)) {
      s.operator = { ends: (op as { ends: [number, string[]][] }).ends.filter(([, keys]) => keys.length) };
    }
  });
  return out;
}

const timersOf = (s: NodeSnapshot) => (s.watermarks.timers as TimerSnapshot).event;
const sortTimers = (ts: Timer[]) => [...ts].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** What an aligned window operator holds after restoring `snapshot`: its ends and their keys, read back through onCheckpoint. */
function alignedWindowRestoredFrom(layout: Layout, snapshot: NodeSnapshot): Map<number, string[]> {
  const ctx = { restored: snapshot.operator, state: { map: () => new Map() }, timers: {} } as unknown as OperatorContext;
  const op = new AlignedWindowOperator(layout.node.params as never, ctx);
  op.open();
  return new Map(op.onCheckpoint()?.ends ?? []);
}

describe.each(LAYOUTS)('rescaleSnapshots: %s', (_name, make) => {
  const layout = make();

  it('the hand-built layout is spread over both subtasks at parallelism 2', () => {
    const at2 = snapshotsAt(layout, 2);
    expect(at2.every((s) => s.state.size > 0)).toBe(true);
  });

  it.each([1, 3, 4])('2 → %i: every entry and timer goes to the subtask its key is routed to', (n) => {
    const out = rescaleSnapshots(layout.node, snapshotsAt(layout, 2), n);
    expect(out).toHaveLength(n);
    for (const e of layout.entries) {
      const want = routeOf(layout, e, n);
      out.forEach((s, k) => {
        expect(s.state.get(e.map)?.get(e.stateKey), `${e.stateKey} in subtask ${k}`).toEqual(k === want ? e.value : undefined);
        for (const t of e.timers) expect(timersOf(s).some((x) => JSON.stringify(x) === JSON.stringify(t)), `timer ${t} in subtask ${k}`).toBe(k === want);
      });
    }
    // A shared timer (one per window end) is in every subtask, once.
    for (const t of layout.shared ?? []) for (const s of out) expect(timersOf(s).filter((x) => JSON.stringify(x) === JSON.stringify(t))).toHaveLength(1);
    // Watermarks restart from the sources: none carries over.
    for (const s of out) expect(s.watermarks.watermark).toBe(-Infinity);
  });

  it('2 → 1 → 3 loses nothing and adds nothing', () => {
    const at2 = snapshotsAt(layout, 2);
    const at3 = rescaleSnapshots(layout.node, rescaleSnapshots(layout.node, at2, 1), 3);
    const entries = (ss: NodeSnapshot[]) => ss.flatMap((s) => [...s.state].flatMap(([map, m]) => [...m].map(([k, v]) => JSON.stringify([map, k, v])))).sort();
    expect(entries(at3)).toEqual(entries(at2));
    expect(entries(at3)).toHaveLength(layout.entries.length);
    const keyedTimers = (ss: NodeSnapshot[]) => sortTimers(ss.flatMap(timersOf).filter((t) => t[2] !== 'end'));
    expect(keyedTimers(at3)).toEqual(sortTimers(layout.entries.flatMap((e) => e.timers)));
    // At 3 each subtask holds exactly the entries routed to it.
    at3.forEach((s, k) => {
      expect(entries([s])).toEqual(entries(snapshotsAt(layout, 3).slice(k, k + 1)));
    });
  });

  if (layout.operator) {
    it.each([1, 3])('2 → %i: each restored operator knows every window it holds, under its end', (n) => {
      const out = rescaleSnapshots(layout.node, snapshotsAt(layout, 2), n);
      out.forEach((s, k) => {
        const held = new Map<number, string[]>();
        for (const key of s.state.get('windows')?.keys() ?? []) {
          const end = Number(key.slice(0, key.indexOf('|')));
          held.set(end, [...(held.get(end) ?? []), key]);
        }
        const restored = alignedWindowRestoredFrom(layout, s);
        expect([...restored.keys()].sort(), `ends of subtask ${k}`).toEqual([...held.keys()].sort());
        for (const [end, keys] of held) expect([...(restored.get(end) ?? [])].sort(), `end ${end}, subtask ${k}`).toEqual([...keys].sort());
      });
    });
  }
});

describe('rescaleSnapshots: a window without keyBy', () => {
  it('keeps all its state, timers and operator snapshot in subtask 0', () => {
    const n = node('w', 'window', { type: 'tumbling', size: '5s', keyBy: [], aggregates: [{ name: 'n', fn: 'count' }] });
    const s = emptySnapshot();
    s.state.set('windows', new Map([['5000|\u0000[]', { n: 1 }], ['10000|\u0000[]', { n: 2 }]]));
    timersOf(s).push([6999, '5000', 'end']);
    s.operator = { ends: [[5000, ['5000|\u0000[]']], [10_000, ['10000|\u0000[]']]] };
    const out = rescaleSnapshots(n, [s], 3);
    expect([...out[0].state.get('windows')!.keys()]).toEqual(['5000|\u0000[]', '10000|\u0000[]']);
    expect(timersOf(out[0])).toEqual([[6999, '5000', 'end']]);
    expect(out[0].operator).toEqual(s.operator);
    for (const other of out.slice(1)) {
      expect(other.state.size).toBe(0);
      expect(timersOf(other)).toEqual([]);
      expect(other.operator).toBeUndefined();
    }
  });
});
