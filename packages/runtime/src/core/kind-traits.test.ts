import { describe, expect, it } from 'vitest';
import { kinds } from '@eddy/shared';
import { runPipeline } from '../harness/run-pipeline.js';
import { MemoryStateBackend, type KeyedMap } from '../state/keyed-state.js';

/** Params that fit the clickstream schema, for every kind between a source and a sink. */
const PARAMS: Record<string, { params: Record<string, unknown>; ports?: string[]; out?: string }> = {
  filter: { params: { where: 'price > 10' } },
  map: { params: { fields: [{ name: 'twice', expr: 'price * 2' }], keep: true } },
  union: { params: {} },
  route: { params: { routes: [{ port: 'high', where: 'price > 50' }], match: 'first' }, out: 'high' },
  dedupe: { params: { key: 'user_id', within: '10s' } },
  window: { params: { type: 'tumbling', size: '5s', keyBy: ['country'], aggregates: [{ name: 'n', fn: 'count' }] } },
  join: { params: { leftKey: 'user_id', rightKey: 'user_id', within: '5s' }, ports: ['left', 'right'] },
  lookup: { params: { store: 'memory', rows: [{ id: 'u1', tier: 'gold' }], keyField: 'id', key: 'user_id' } },
  score: { params: { features: [{ name: 'price', expr: 'price' }], model: { type: 'logistic', weights: { price: 0.01 }, intercept: -1 }, output: 'score' } },
};

const events = Array.from({ length: 60 }, (_, i) => ({
  event_id: `e${i % 40}`, ts: 1_700_000_000_000 + i * 500, user_id: `u${i % 4}`, session_id: 's', event_type: 'page_view',
  product_id: 'p', category: 'c', price: i, quantity: 1, country: ['DE', 'FR', 'NL'][i % 3],
}));

/** Runs src → node → sink and tells whether the node's operator wrote keyed state. */
async function writesKeyedState(kind: string): Promise<boolean> {
  const { params, ports = ['in'], out = 'out' } = PARAMS[kind];
  const doc = {
    format: 'eddy/pipeline@1', name: `traits-${kind}`,
    nodes: [
      { id: 'src', kind: 'source.generator', params: { scenario: 'clickstream', limit: events.length } },
      { id: 'node', kind, params },
      { id: 'sink', kind: 'sink.log', params: {} },
    ],
    edges: [...ports.map((p) => ({ from: 'src', to: 'node', toPort: p })), { from: 'node', fromPort: out, to: 'sink' }],
  };
  const writes = new Set<string>();
  await runPipeline(doc, { src: events }, {
    log: () => {},
    stateBackend: (nodeId) => {
      const backend = new MemoryStateBackend();
      const map = backend.map.bind(backend);
      backend.map = <V>(name: string): KeyedMap<V> => {
        const m = map<V>(name);
        const set = m.set.bind(m);
        m.set = (k: string, v: V) => { writes.add(nodeId); return set(k, v); };
        return m;
      };
      return backend;
    },
  });
  return writes.has('node');
}

describe('kind traits agree with the operators', () => {
  const between = kinds.filter((k) => k.category !== 'source' && k.category !== 'sink');
  it('covers every kind between sources and sinks', () => {
    expect(Object.keys(PARAMS).sort()).toEqual(between.map((k) => k.kind).sort());
  });
  for (const def of between) {
    it(`${def.kind}: stateful ${def.stateful} ⇔ its operator writes keyed state`, async () => {
      expect(await writesKeyedState(def.kind)).toBe(def.stateful);
    });
  }
});
