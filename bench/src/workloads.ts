import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { featuresOf, modelToOnnx } from '@eddy/runtime';
import { PIPELINE_FORMAT, settingsSchema, type PipelineDocument } from '@eddy/shared';
import { checksum, rows, tumbling, type Aggregator, type Row } from './aggregators.js';

/**
 * A workload: the same computation in every implementation. `stages` are the per-record
 * steps (a stage returns null to drop a record), `tail` the stateful end (windows, joins)
 * as the hand-written limit would write it; `eddy` is the pipeline document.
 */
export interface Workload {
  name: string;
  scenario: 'ad-events' | 'nexmark' | 'clickstream';
  stateless: boolean;
  stages: Stage[];
  tail?: () => { add(r: Row): void; finish(): Row[] };
  aggregator: () => Aggregator;
  /**
   * The top-level fields of an output row the aggregator reads (absent: all). Eddy's tap names
   * them (`tapFields`), as a sink's schema names its columns: a parallel job sends only these
   * across threads.
   */
  reads?: readonly string[];
  /** The tail's rows from parts of the input, merged (the hand loop on several threads windows each part's records): rows with one key become one. */
  mergeRows?: { key: (r: Row) => string; merge: (a: Row, b: Row) => Row };
  eddy(path: string): PipelineDocument;
  /** Node-RED can express it (function-free core nodes and one function node). */
  nodeRed?: boolean;
}

const source = (path: string, field: string) => ({
  id: 'src', kind: 'source.file', params: { path, eventTime: { field, maxOutOfOrderness: '0ms' } },
});
const doc = (name: string, nodes: unknown[], edges: [string, string, string?, string?][]): PipelineDocument => ({
  format: PIPELINE_FORMAT, name, settings: settingsSchema.parse({}),
  nodes: nodes as PipelineDocument['nodes'],
  edges: edges.map(([from, to, fromPort, toPort]) => ({ from, to, ...(fromPort && { fromPort }), ...(toPort && { toPort }) })),
});
/** A copy with one field set, as tight as the peers can make it: an object spread's copy goes to V8's old space (1.9× slower). */
const withField = (r: Row, name: string, value: unknown): Row => {
  const o = Object.assign({}, r);
  o[name] = value;
  return o;
};
/** A checksum answer over these fields, which are all it reads of a row. */
const checksummed = (fields: string[]) => ({ aggregator: checksum(fields), reads: fields });
const chain = (...ids: string[]): [string, string][] => ids.slice(1).map((id, i) => [ids[i], id]);

const SCORE_FEATURES = [{ name: 'price', expr: 'price' }, { name: 'quantity', expr: 'quantity' },
  { name: 'cart', expr: "CASE WHEN event_type IN ('add_to_cart', 'checkout') THEN 1 ELSE 0 END" }];
const SCORE_MODEL = { type: 'logistic' as const, weights: { price: 0.01, quantity: 0.3, cart: 1.5 }, intercept: -2 };

/** The 'score' model as ONNX, written beside the data file once (the job may read only its data folder). */
function onnxModelBeside(dataPath: string): string {
  const file = join(dirname(dataPath), 'score-model.onnx');
  if (!existsSync(file)) writeFileSync(file, modelToOnnx(featuresOf(SCORE_MODEL), SCORE_MODEL));
  return file;
}

/** YSB: 100 campaigns of 10 ads each. */
export const CAMPAIGN_OF = new Map(Array.from({ length: 1000 }, (_v, i) => [`ad-${i}`, `c-${Math.floor(i / 10)}`]));
/** A per-record step: a filter (keep when true) or a map (new record). */
export type Stage = { filter: (r: Row) => boolean } | { map: (r: Row) => Row };
const F = (filter: (r: Row) => boolean): Stage => ({ filter });
const M = (map: (r: Row) => Row): Stage => ({ map });
const isBid = F((r) => r.type === 'bid');
const count = (acc: number | undefined) => (acc ?? 0) + 1;

export const workloads: Workload[] = [
  {
    name: 'ysb', scenario: 'ad-events', stateless: false, nodeRed: true,
    stages: [
      F((r) => r.event_type === 'view'),
      M((r) => ({ ad_id: r.ad_id, event_time: r.event_time })),
      M((r) => withField(r, 'campaign_id', CAMPAIGN_OF.get(r.ad_id) ?? null)),
    ],
    tail: () => {
      const w = tumbling(10_000, (r) => r.campaign_id, 'campaign_id', { views: count }, (r) => r.event_time);
      return { add: w.add, finish: w.rows };
    },
    aggregator: rows,
    mergeRows: { key: (r) => `${r.window_start}|${r.campaign_id}`, merge: (a, b) => ({ ...a, views: a.views + b.views }) },
    eddy: (path) => doc('YSB', [
      source(path, 'event_time'),
      { id: 'views', kind: 'filter', params: { where: "event_type = 'view'" } },
      { id: 'project', kind: 'map', params: { fields: [{ name: 'ad_id', expr: 'ad_id' }, { name: 'event_time', expr: 'event_time' }] } },
      { id: 'campaign', kind: 'lookup', params: { keyField: 'ad_id', key: 'ad_id', fields: ['campaign_id'],
        rows: [...CAMPAIGN_OF].map(([ad_id, campaign_id]) => ({ ad_id, campaign_id })) } },
      { id: 'w', kind: 'window', params: { size: '10s', keyBy: ['campaign_id'], aggregates: [{ name: 'views', fn: 'count' }] } },
    ], chain('src', 'views', 'project', 'campaign', 'w')),
  },
  {
    name: 'q0', scenario: 'nexmark', stateless: true, nodeRed: true,
    stages: [],
    ...checksummed(['ts', 'price', 'id']),
    eddy: (path) => doc('q0', [source(path, 'ts'), { id: 'pass', kind: 'union', params: {} }], chain('src', 'pass')),
  },
  {
    name: 'q1', scenario: 'nexmark', stateless: true, nodeRed: true,
    stages: [isBid, M((r) => ({ auction: r.auction, bidder: r.bidder, price: r.price * 0.908, ts: r.ts }))],
    ...checksummed(['auction', 'bidder', 'price', 'ts']),
    eddy: (path) => doc('q1', [source(path, 'ts'),
      { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
      { id: 'euros', kind: 'map', params: { fields: [{ name: 'auction', expr: 'auction' }, { name: 'bidder', expr: 'bidder' },
        { name: 'price', expr: 'price * 0.908' }, { name: 'ts', expr: 'ts' }] } },
    ], chain('src', 'bids', 'euros')),
  },
  {
    name: 'q2', scenario: 'nexmark', stateless: true, nodeRed: true,
    stages: [F((r) => r.type === 'bid' && r.auction % 123 === 0), M((r) => ({ auction: r.auction, price: r.price }))],
    ...checksummed(['auction', 'price']),
    eddy: (path) => doc('q2', [source(path, 'ts'),
      { id: 'some', kind: 'filter', params: { where: "type = 'bid' AND auction % 123 = 0" } },
      { id: 'project', kind: 'map', params: { fields: [{ name: 'auction', expr: 'auction' }, { name: 'price', expr: 'price' }] } },
    ], chain('src', 'some', 'project')),
  },
  {
    name: 'q5', scenario: 'nexmark', stateless: false,
    stages: [isBid],
    tail: () => {
      const counts = new Map<string, Row>();
      return {
        add(r) {
          for (let s = r.ts - (r.ts % 2000); s > r.ts - 10_000; s -= 2000) {
            const id = `${s}|${r.auction}`;
            const w = counts.get(id);
            if (w) w.bids++;
            else counts.set(id, { window_start: s, window_end: s + 10_000, auction: r.auction, bids: 1 });
          }
        },
        finish: () => [...counts.values()],
      };
    },
    aggregator: rows,
    eddy: (path) => doc('q5', [source(path, 'ts'),
      { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
      { id: 'w', kind: 'window', params: { type: 'sliding', size: '10s', slide: '2s', keyBy: ['auction'], aggregates: [{ name: 'bids', fn: 'count' }] } },
    ], chain('src', 'bids', 'w')),
  },
  {
    name: 'q7', scenario: 'nexmark', stateless: false,
    stages: [isBid],
    tail: () => {
      const w = tumbling(10_000, () => null, null, { max_price: (a, r) => (a === undefined || r.price > a ? r.price : a) }, (r) => r.ts);
      return { add: w.add, finish: w.rows };
    },
    aggregator: rows,
    mergeRows: { key: (r) => String(r.window_start), merge: (a, b) => (b.max_price > a.max_price ? b : a) },
    eddy: (path) => doc('q7', [source(path, 'ts'),
      { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
      { id: 'w', kind: 'window', params: { size: '10s', aggregates: [{ name: 'max_price', fn: 'max', field: 'price' }] } },
    ], chain('src', 'bids', 'w')),
  },
  {
    name: 'q8', scenario: 'nexmark', stateless: false,
    stages: [F((r) => r.type === 'person' || r.type === 'auction')],
    tail: () => {
      const persons = new Map<string, Row[]>();
      const auctions = new Map<string, Row[]>();
      const add = (m: Map<string, Row[]>, k: string, r: Row) => { const l = m.get(k); if (l) l.push(r); else m.set(k, [r]); };
      return {
        add(r) {
          const w = r.ts - (r.ts % 10_000);
          if (r.type === 'person') add(persons, `${w}|${r.id}`, r);
          else add(auctions, `${w}|${r.seller}`, r);
        },
        finish() {
          const out: Row[] = [];
          for (const [k, ps] of persons) for (const p of ps) for (const a of auctions.get(k) ?? []) {
            out.push({ id: p.id, name: p.name, auction: a.id });
          }
          return out;
        },
      };
    },
    aggregator: rows,
    eddy: (path) => doc('q8', [source(path, 'ts'),
      { id: 'by_type', kind: 'route', params: { routes: [{ port: 'persons', where: "type = 'person'" }, { port: 'auctions', where: "type = 'auction'" }] } },
      { id: 'j', kind: 'join', params: { leftKey: 'id', rightKey: 'seller', window: '10s' } },
      { id: 'project', kind: 'map', params: { fields: [{ name: 'id', expr: 'id' }, { name: 'name', expr: 'name' }, { name: 'auction', expr: 'right_id' }] } },
    ], [['src', 'by_type'], ['by_type', 'j', 'persons', 'left'], ['by_type', 'j', 'auctions', 'right'], ['j', 'project']]),
  },
  {
    name: 'q11', scenario: 'nexmark', stateless: false,
    stages: [isBid],
    tail: () => {
      const open = new Map<number, Row>();
      const done: Row[] = [];
      return {
        add(r) {
          const s = open.get(r.bidder);
          if (s && r.ts <= s.window_end) { s.window_end = r.ts + 2000; s.bids++; return; }
          if (s) done.push(s);
          open.set(r.bidder, { window_start: r.ts, window_end: r.ts + 2000, bidder: r.bidder, bids: 1 });
        },
        finish: () => [...done, ...open.values()],
      };
    },
    aggregator: rows,
    eddy: (path) => doc('q11', [source(path, 'ts'),
      { id: 'bids', kind: 'filter', params: { where: "type = 'bid'" } },
      { id: 'w', kind: 'window', params: { type: 'session', gap: '2s', keyBy: ['bidder'], aggregates: [{ name: 'bids', fn: 'count' }] } },
    ], chain('src', 'bids', 'w')),
  },
  {
    name: 'score', scenario: 'clickstream', stateless: true,
    stages: [M((r) => {
      const cart = r.event_type === 'add_to_cart' || r.event_type === 'checkout' ? 1 : 0;
      const z = -2 + 0.01 * r.price + 0.3 * r.quantity + 1.5 * cart;
      return withField(r, 'score', 1 / (1 + Math.exp(-z)));
    })],
    ...checksummed(['score', 'price']),
    eddy: (path) => doc('score', [source(path, 'ts'),
      { id: 'propensity', kind: 'score', params: {
        features: [{ name: 'price', expr: 'price' }, { name: 'quantity', expr: 'quantity' },
          { name: 'cart', expr: "CASE WHEN event_type IN ('add_to_cart', 'checkout') THEN 1 ELSE 0 END" }],
        model: { type: 'logistic', weights: { price: 0.01, quantity: 0.3, cart: 1.5 }, intercept: -2 }, output: 'score' } },
    ], chain('src', 'propensity')),
  },
  {
    // The same model as 'score', converted to ONNX (eddy model to-onnx) and run by onnxruntime-node:
    // one tensor per batch. Its float32 scores equal the JSON model's within float32 precision
    // (tested in operators/score), so the answer compared here is what does not depend on it.
    name: 'score-onnx', scenario: 'clickstream', stateless: true,
    stages: [M((r) => withField(r, 'score', 0))],
    reads: ['price', 'score'],
    aggregator: () => {
      let n = 0;
      let price = 0;
      let scored = 0;
      return {
        add(row) { n++; if (typeof row.price === 'number') price += row.price; if (typeof row.score === 'number') scored++; },
        result: () => ({ n, price: Math.round(price * 1000) / 1000, scored }),
      };
    },
    eddy: (path) => doc('score-onnx', [source(path, 'ts'),
      { id: 'propensity', kind: 'score', params: {
        features: SCORE_FEATURES, model: { type: 'onnx', path: onnxModelBeside(path) }, output: 'score' } },
    ], chain('src', 'propensity')),
  },
];
