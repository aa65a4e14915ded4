import { describe, expect, it } from 'vitest';
import type { PipelineDocument, PipelineEdge, PipelineNode } from '@eddy/shared';
import { planParallel, tappedBy } from './plan.js';

// Paced (ratePerSec): read whole by one reader on the job's thread, so these plans chain to it.
const SOURCE = { path: 'in.jsonl', ratePerSec: 1000, eventTime: { field: 'ts' }, fields: [{ name: 'ts', type: 'number' }, { name: 'user', type: 'string' }] };
const windowParams = (keyBy: string[]) => ({ type: 'tumbling', size: '5s', keyBy, aggregates: [{ name: 'n', fn: 'count' }] });

function doc(nodes: [string, string, Record<string, unknown>][], edges: PipelineEdge[]): PipelineDocument {
  return {
    format: 'eddy/pipeline@1', name: 'plan', settings: {} as PipelineDocument['settings'],
    nodes: nodes.map(([id, kind, params]): PipelineNode => ({ id, kind, params })), edges,
  };
}

const routes = (d: PipelineDocument, parallelism = 2) =>
  planParallel(d, d.nodes.map((n) => n.id), parallelism).edges.map((e) => `${e.edge.from}→${e.edge.to}: ${e.route}`);

const SCORE = {
  features: [{ name: 'x', expr: 'ts' }], model: { type: 'linear', weights: { x: 1 }, intercept: 0 }, output: 'score',
};

describe('planParallel', () => {
  const keyed = doc([
    ['src', 'source.file', SOURCE], ['f', 'filter', { where: 'ts > 0' }], ['w', 'window', windowParams(['user'])], ['out', 'sink.live', {}],
  ], [{ from: 'src', to: 'f' }, { from: 'f', to: 'w' }, { from: 'w', to: 'out' }]);

  it('source → filter → keyed window → sink: the filter chained to its source, hash into the window, gather into the sink', () => {
    expect(routes(keyed)).toEqual(['src→f: local', 'f→w: hash', 'w→out: gather']);
    const plan = planParallel(keyed, ['src', 'f', 'w', 'out'], 4);
    expect(plan.hostNodes).toEqual(['src', 'f', 'out']);
    expect(plan.taskNodes).toEqual(['w']);
    expect(plan.edges[1].key).toEqual({ fields: ['user'] });
    expect(plan.edges.map((e) => `${e.from}→${e.to}`)).toEqual(['host→host', 'host→task', 'task→host']);
    expect(plan.notes).toContain('4 subtasks run w');
    expect(plan.notes).toContain('f runs once, on the job\'s thread (chained to its source)');
    expect(plan.notes).toContain('f.out → w.in: by key, pre-aggregated until each window fires before the exchange, only user crossing');
  });

  it('source → score → keyed window → filter → sink: rebalance into the subtasks, hash, a local chain after the window, gather', () => {
    const d = doc([
      ['src', 'source.file', SOURCE], ['s', 'score', SCORE], ['w', 'window', windowParams(['user'])],
      ['f', 'filter', { where: 'n > 1' }], ['out', 'sink.live', {}],
    ], [{ from: 'src', to: 's' }, { from: 's', to: 'w' }, { from: 'w', to: 'f' }, { from: 'f', to: 'out' }]);
    expect(routes(d)).toEqual(['src→s: rebalance', 's→w: hash', 'w→f: local', 'f→out: gather']);
    const plan = planParallel(d, ['src', 's', 'w', 'f', 'out'], 2);
    expect(plan.taskNodes).toEqual(['s', 'w', 'f']);
    // A subtask fed in turns (rebalance) does not see its source's every watermark: its partials leave with each batch.
    expect(plan.notes).toContain('s.out → w.in: by key, pre-aggregated per batch before the exchange, only user crossing');
  });

  it('a window without keyBy gets everything in subtask 0 (single)', () => {
    const global = doc([['src', 'source.file', SOURCE], ['w', 'window', windowParams([])], ['out', 'sink.live', {}]],
      [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }]);
    expect(routes(global)).toEqual(['src→w: single', 'w→out: gather']);
    expect(planParallel(global, ['src', 'w', 'out'], 2).notes).toContain('src.out → w.in: all to subtask 0 (no key), pre-aggregated until each window fires before the exchange, only event times crossing');
  });

  it('a window that reads only some fields and lets no record out gets only those fields across threads', () => {
    const session = (aggregates: unknown[], late: boolean) => doc([
      ['src', 'source.file', SOURCE],
      ['w', 'window', { type: 'session', gap: '2s', keyBy: ['user', 'cart.country'], aggregates }], ['out', 'sink.live', {}], ['l', 'sink.live', {}],
    ], [{ from: 'src', to: 'w' }, { from: 'w', to: 'out' }, ...(late ? [{ from: 'w', fromPort: 'late', to: 'l' }] : [])]);
    const planOf = (d: PipelineDocument) => planParallel(d, d.nodes.map((n) => n.id), 2);
    const counted = planOf(session([{ name: 'n', fn: 'count' }, { name: 'first_item', fn: 'first', field: 'item.id' }], false));
    expect(counted.edges[0].project).toEqual(['user', 'cart', 'item']);
    expect(counted.notes).toContain('src.out → w.in: by key, only user, cart, item crossing');
    // Late records leave whole; a sum can refuse a value (its dead letter carries the whole record).
    expect(planOf(session([{ name: 'n', fn: 'count' }], true)).edges[0].project).toBeUndefined();
    expect(planOf(session([{ name: 's', fn: 'sum', field: 'price' }], false)).edges[0].project).toBeUndefined();
    // A tap on the window's late port sees its late records with no edge from it (the harness):
    // whole there too. A tap on its rows only, or on other nodes, leaves the projection.
    const tapped = (nodes?: string[]) => planParallel(session([{ name: 'n', fn: 'count' }], false), ['src', 'w', 'out', 'l'], 2, tappedBy({ tap: true, tapNodes: nodes }));
    expect(tapped().edges[0].project).toBeUndefined();
    expect(tapped(['w']).edges[0].project).toBeUndefined();
    expect(tapped(['w.late']).edges[0].project).toBeUndefined();
    expect(tapped(['w.out']).edges[0].project).toEqual(['user', 'cart']);
    expect(tapped(['out']).edges[0].project).toEqual(['user', 'cart']);
    expect(planParallel(session([{ name: 'n', fn: 'count' }], false), ['src', 'w', 'out', 'l'], 2, tappedBy({ tapNodes: ['w'] })).edges[0].project).toEqual(['user', 'cart']);
    // Pre-aggregated: partials cross as they are, the records not combined as those fields.
    const counting = planParallel(keyed, ['src', 'f', 'w', 'out'], 2);
    expect(counting.edges[1].preAggregate).toBeDefined();
    expect(counting.edges[1].project).toEqual(['user']);
    expect(counting.notes).toContain('f.out → w.in: by key, pre-aggregated until each window fires before the exchange, only user crossing');
  });

  it('source → sink stays on the host thread (local), with no operator in the subtasks', () => {
    const direct = doc([['src', 'source.file', SOURCE], ['out', 'sink.live', {}]], [{ from: 'src', to: 'out' }]);
    const plan = planParallel(direct, ['src', 'out'], 3);
    expect(routes(direct)).toEqual(['src→out: local']);
    expect(plan.taskNodes).toEqual([]);
    expect(plan.notes[0]).toMatch(/no subtask is started/);
  });

  it('a join hashes each side on its own key; a dedupe on its key expression; chained stateless nodes stay local', () => {
    const d = doc([
      ['a', 'source.file', SOURCE], ['b', 'source.file', SOURCE], ['m', 'map', { keep: true, fields: [{ name: 'x', expr: 'ts' }] }],
      ['j', 'join', { type: 'inner', leftKey: 'user', rightKey: 'LOWER(user)', within: '5s' }],
      ['d', 'dedupe', { key: 'user', within: '1m' }], ['out', 'sink.live', {}],
    ], [
      { from: 'a', to: 'm' }, { from: 'm', to: 'j', toPort: 'left' }, { from: 'b', to: 'j', toPort: 'right' },
      { from: 'j', to: 'd' }, { from: 'd', to: 'out' },
    ]);
    const plan = planParallel(d, ['a', 'b', 'm', 'j', 'd', 'out'], 2);
    // The map is chained to source a; each join side is hashed from the host's thread.
    expect(plan.edges.map((e) => e.route)).toEqual(['local', 'hash', 'hash', 'hash', 'gather']);
    expect(plan.edges.map((e) => e.key)).toEqual([undefined, { expression: 'user' }, { expression: 'LOWER(user)' }, { expression: 'user' }, undefined]);
  });

  describe('sources read in pieces', () => {
    const JSONL = { ...SOURCE, format: 'jsonl', ratePerSec: 0 };
    it('a JSON-lines file at full speed: the subtasks parse it and run the filter after it; edges from it start in the subtasks', () => {
      const d = doc([
        ['src', 'source.file', JSONL], ['f', 'filter', { where: 'ts > 0' }], ['w', 'window', windowParams(['user'])], ['out', 'sink.live', {}],
      ], [{ from: 'src', to: 'f' }, { from: 'f', to: 'w' }, { from: 'w', to: 'out' }]);
      const plan = planParallel(d, ['src', 'f', 'w', 'out'], 2);
      expect(plan.splitSources).toEqual(['src']);
      expect(plan.hostNodes).toEqual(['src', 'out']);
      expect(plan.taskNodes).toEqual(['f', 'w']);
      expect(routes(d)).toEqual(['src→f: local', 'f→w: hash', 'w→out: gather']);
      expect(plan.notes[0]).toBe('src is read in pieces: one reader cuts the input, 2 subtasks parse it (offsets and watermarks as one reader\'s)');
    });

    it('a generator and a CSV file at full speed split; a paced one or a join downstream keep one reader', () => {
      const gen = (ratePerSec: number) => doc([['g', 'source.generator', { scenario: 'clickstream', ratePerSec }], ['out', 'sink.live', {}]], [{ from: 'g', to: 'out' }]);
      expect(planParallel(gen(0), ['g', 'out'], 2).splitSources).toEqual(['g']);
      expect(planParallel(gen(100), ['g', 'out'], 2).splitSources).toEqual([]);
      expect(planParallel(gen(0), ['g', 'out'], 1).splitSources).toEqual([]);
      const csv = doc([['src', 'source.file', { ...JSONL, format: 'csv' }], ['out', 'sink.live', {}]], [{ from: 'src', to: 'out' }]);
      expect(planParallel(csv, ['src', 'out'], 2).splitSources).toEqual(['src']);
      const joined = doc([
        ['a', 'source.file', JSONL], ['b', 'source.file', JSONL],
        ['j', 'join', { type: 'inner', leftKey: 'user', rightKey: 'user', within: '1s' }], ['out', 'sink.live', {}],
      ], [{ from: 'a', to: 'j', toPort: 'left' }, { from: 'b', to: 'j', toPort: 'right' }, { from: 'j', to: 'out' }]);
      const plan = planParallel(joined, ['a', 'b', 'j', 'out'], 2);
      expect(plan.splitSources).toEqual([]);
      expect(plan.mergedInputs).toEqual([]);
      expect(plan.notes[0]).toBe('sources are read whole, on the job\'s thread: two sources\' pieces have no order between them for a node with several inputs');
    });

    it('one source into both sides of a join splits (one merge for the join\'s edges); into a union it keeps one reader', () => {
      const sides = ['route', 'route', { routes: [{ port: 'a', where: 'ts > 0' }, { port: 'b', where: 'ts <= 0' }] }] as [string, string, Record<string, unknown>];
      const joined = doc([['src', 'source.file', JSONL], sides, ['j', 'join', { type: 'inner', leftKey: 'user', rightKey: 'user', within: '1s' }], ['out', 'sink.live', {}]], [
        { from: 'src', to: 'route' }, { from: 'route', fromPort: 'a', to: 'j', toPort: 'left' }, { from: 'route', fromPort: 'b', to: 'j', toPort: 'right' }, { from: 'j', to: 'out' },
      ]);
      const plan = planParallel(joined, ['src', 'route', 'j', 'out'], 2);
      expect(plan.splitSources).toEqual(['src']);
      expect(plan.mergedInputs).toEqual(['j']);
      expect(routes(joined)).toEqual(['src→route: local', 'route→j: hash', 'route→j: hash', 'j→out: gather']);
      const united = doc([['src', 'source.file', JSONL], sides, ['u', 'union', {}], ['out', 'sink.live', {}]], [
        { from: 'src', to: 'route' }, { from: 'route', fromPort: 'a', to: 'u' }, { from: 'route', fromPort: 'b', to: 'u' }, { from: 'u', to: 'out' },
      ]);
      const whole = planParallel(united, ['src', 'route', 'u', 'out'], 2);
      expect(whole.splitSources).toEqual([]);
      expect(whole.notes[0]).toBe('sources are read whole, on the job\'s thread: a node with several inputs needs one reader\'s order unless it is keyed (a join) and fed through stateless nodes');
      // A side that comes out of a window carries no source positions: read whole too.
      const windowed = doc([['src', 'source.file', JSONL], sides, ['w', 'window', windowParams(['user'])], ['j', 'join', { type: 'inner', leftKey: 'user', rightKey: 'user', within: '1s' }]], [
        { from: 'src', to: 'route' }, { from: 'route', fromPort: 'a', to: 'w' }, { from: 'w', to: 'j', toPort: 'left' }, { from: 'route', fromPort: 'b', to: 'j', toPort: 'right' },
      ]);
      expect(planParallel(windowed, ['src', 'route', 'w', 'j'], 2).splitSources).toEqual([]);
    });

    it('Kafka at full speed splits by its partitions\' messages; paced or with an idle timeout (wall-clock time) it keeps one reader', () => {
      const kafka = (params: Record<string, unknown>) => doc([
        ['src', 'source.kafka', { topic: 't', ratePerSec: 0, eventTime: { field: 'ts', maxOutOfOrderness: '1s' }, ...params }], ['out', 'sink.live', {}],
      ], [{ from: 'src', to: 'out' }]);
      const plan = planParallel(kafka({}), ['src', 'out'], 2);
      expect(plan.splitSources).toEqual(['src']);
      expect(plan.notes[0]).toBe('src is read in pieces: one reader cuts each partition\'s messages in order, 2 subtasks parse them (offsets and watermarks per partition, as one reader\'s)');
      expect(planParallel(kafka({ ratePerSec: 500 }), ['src', 'out'], 2).splitSources).toEqual([]);
      expect(planParallel(kafka({ eventTime: { field: 'ts', idleTimeout: '5s' } }), ['src', 'out'], 2).splitSources).toEqual([]);
    });
  });
});

