import { PIPELINE_FORMAT, settingsSchema, type PipelineDocument, type PipelineNode } from '../format/document.js';
import { demoPipeline } from './demo.js';
import { TEMPLATE_CASES } from './cases.generated.js';

/**
 * A template: a pipeline for one of the seed's use cases, deployable at once on generated
 * data. `files` are sample inputs (relative to the data folder) written when the template
 * is instantiated, if they do not exist yet.
 */
export interface PipelineTemplate {
  id: string;
  title: string;
  useCase: string;
  description: string;
  document(): PipelineDocument;
  files?(): Record<string, string>;
}

type NodeSpec = [id: string, kind: string, params: Record<string, unknown>, x: number, y: number];
type EdgeSpec = [from: string, to: string, fromPort?: string, toPort?: string];

function pipeline(name: string, description: string, nodes: NodeSpec[], edges: EdgeSpec[], settings: object = {}): PipelineDocument {
  return {
    format: PIPELINE_FORMAT, name, description, settings: settingsSchema.parse(settings),
    nodes: nodes.map(([id, kind, params, x, y]): PipelineNode => ({ id, kind, params, ui: { x, y } })),
    edges: edges.map(([from, to, fromPort, toPort]) => ({ from, to, ...(fromPort && { fromPort }), ...(toPort && { toPort }) })),
  };
}

/** Clickstream at 180× speed (three hours of shopping a minute), so 30-minute rules show results within seconds. */
const fastClicks = (seed: number) => ({ scenario: 'clickstream', ratePerSec: 300, seed, keys: 400, outOfOrderness: '5s', timeScale: 180 });

const checkout: PipelineTemplate = {
  id: 'checkout-personalisation',
  title: 'Checkout personalisation',
  useCase: 'Score each shopping session\'s purchase propensity and route an offer to it',
  description: 'Clickstream → session features per user (session windows, 5 min gap) → logistic purchase-propensity model → route: a discount for likely buyers who hesitate, free shipping for big carts, nothing otherwise.',
  document: () => pipeline('Checkout personalisation', checkout.description, [
    ['clicks', 'source.generator', fastClicks(7), 0, 120],
    ['signals', 'map', { keep: true, fields: [
      { name: 'is_cart', expr: "CASE WHEN event_type = 'add_to_cart' THEN 1 ELSE 0 END" },
      { name: 'is_checkout', expr: "CASE WHEN event_type = 'checkout' THEN 1 ELSE 0 END" },
      { name: 'value', expr: "CASE WHEN event_type = 'add_to_cart' THEN price * quantity ELSE 0 END" },
    ] }, 240, 120],
    ['sessions', 'window', { type: 'session', gap: '5m', keyBy: ['user_id'], aggregates: [
      { name: 'events', fn: 'count' }, { name: 'carts', fn: 'sum', field: 'is_cart' },
      { name: 'checkouts', fn: 'sum', field: 'is_checkout' }, { name: 'cart_value', fn: 'sum', field: 'value' },
    ] }, 480, 120],
    ['propensity', 'score', {
      features: [{ name: 'events', expr: 'events' }, { name: 'carts', expr: 'carts' }, { name: 'checkouts', expr: 'checkouts' }, { name: 'cart_value', expr: 'cart_value' }],
      model: { type: 'logistic', weights: { events: 0.05, carts: 0.6, checkouts: 1.1, cart_value: 0.002 }, intercept: -1.8 },
      output: 'propensity',
    }, 720, 120],
    ['offers', 'route', { match: 'first', routes: [
      { port: 'discount', where: 'propensity >= 0.5 AND checkouts = 0' },
      { port: 'free_shipping', where: 'cart_value > 150' },
    ] }, 960, 120],
    ['discounts', 'sink.live', { maxRows: 200 }, 1200, 20],
    ['shipping', 'sink.live', { maxRows: 200 }, 1200, 150],
    ['no_offer', 'sink.live', { maxRows: 50 }, 1200, 280],
  ], [['clicks', 'signals'], ['signals', 'sessions'], ['sessions', 'propensity'], ['propensity', 'offers'],
    ['offers', 'discounts', 'discount'], ['offers', 'shipping', 'free_shipping'], ['offers', 'no_offer', 'default']]),
};

const etl: PipelineTemplate = {
  id: 'streaming-etl',
  title: 'Streaming ETL',
  useCase: 'Clean, normalise and land order events',
  description: 'A JSON-lines file of orders (with some dirty rows) → drop rows without an amount → normalise email, country and currency → a clean JSON-lines file. Bad lines become dead letters.',
  document: () => pipeline('Streaming ETL: orders', etl.description, [
    ['orders', 'source.file', { path: 'samples/orders.jsonl', format: 'jsonl', ratePerSec: 100, eventTime: { field: 'ts', maxOutOfOrderness: '2s' },
      fields: [{ name: 'order_id', type: 'string' }, { name: 'ts', type: 'number' }, { name: 'email', type: 'string' },
        { name: 'country', type: 'string' }, { name: 'currency', type: 'string' }, { name: 'amount', type: 'number' }] }, 0, 100],
    ['valid', 'filter', { where: 'amount IS NOT NULL AND amount > 0' }, 330, 100],
    ['normalise', 'map', { keep: false, fields: [
      { name: 'order_id', expr: 'order_id' }, { name: 'ts', expr: 'ts' },
      { name: 'email', expr: 'LOWER(email)' }, { name: 'country', expr: "UPPER(COALESCE(country, 'unknown'))" },
      { name: 'amount_eur', expr: "ROUND(CASE WHEN currency = 'USD' THEN amount * 0.92 ELSE amount END, 2)" },
    ] }, 660, 100],
    ['clean', 'sink.file', { path: 'out/orders-clean.jsonl', format: 'jsonl' }, 990, 20],
    ['preview', 'sink.live', { maxRows: 200 }, 990, 200],
  ], [['orders', 'valid'], ['valid', 'normalise'], ['normalise', 'clean'], ['normalise', 'preview']]),
  files: () => ({ 'samples/orders.jsonl': sampleOrders(5000) }),
};

const campaign: PipelineTemplate = {
  id: 'event-triggered-campaign',
  title: 'Event-triggered campaign',
  useCase: 'Trigger a reminder when a cart is not bought within 30 minutes',
  description: 'Clickstream (180× speed) → add_to_cart events left-joined with purchases of the same user within 30 minutes → carts without a purchase → campaign triggers.',
  document: () => pipeline('Abandoned cart campaign', campaign.description, [
    ['clicks', 'source.generator', fastClicks(11), 0, 120],
    ['carts', 'filter', { where: "event_type = 'add_to_cart'" }, 240, 40],
    ['purchases', 'filter', { where: "event_type = 'purchase'" }, 240, 200],
    ['bought', 'join', { type: 'left', leftKey: 'user_id', rightKey: 'user_id', within: '30m' }, 480, 120],
    ['abandoned', 'filter', { where: 'right_event_id IS NULL' }, 720, 120],
    ['trigger', 'map', { keep: false, fields: [
      { name: 'user_id', expr: 'user_id' }, { name: 'product_id', expr: 'product_id' },
      { name: 'cart_value', expr: 'ROUND(price * quantity, 2)' }, { name: 'campaign', expr: "CONCAT('cart-reminder-', category)" },
    ] }, 960, 120],
    ['triggers', 'sink.live', { maxRows: 200 }, 1200, 120],
  ], [['clicks', 'carts'], ['clicks', 'purchases'], ['carts', 'bought', 'out', 'left'], ['purchases', 'bought', 'out', 'right'],
    ['bought', 'abandoned'], ['abandoned', 'trigger'], ['trigger', 'triggers']]),
};

const ads: PipelineTemplate = {
  id: 'ad-analytics',
  title: 'Ad analytics',
  useCase: 'Views per campaign, every 10 seconds (the Yahoo streaming benchmark)',
  description: 'Ad events → views only → look up each ad\'s campaign → 10 s tumbling view counts per campaign.',
  document: () => pipeline('Ad campaign views', ads.description, [
    ['ads', 'source.generator', { scenario: 'ad-events', ratePerSec: 500, seed: 3, keys: 1000, outOfOrderness: '1s' }, 0, 100],
    ['views', 'filter', { where: "event_type = 'view'" }, 240, 100],
    ['campaign', 'lookup', { store: 'memory', path: 'samples/campaigns.jsonl', keyField: 'ad_id', key: 'ad_id', fields: ['campaign_id'], onMiss: 'dead-letter' }, 480, 100],
    ['per_campaign', 'window', { type: 'tumbling', size: '10s', keyBy: ['campaign_id'], aggregates: [{ name: 'views', fn: 'count' }, { name: 'users', fn: 'count_distinct', field: 'user_id' }] }, 720, 100],
    ['live', 'sink.live', { maxRows: 300 }, 960, 100],
  ], [['ads', 'views'], ['views', 'campaign'], ['campaign', 'per_campaign'], ['per_campaign', 'live']]),
  files: () => ({ 'samples/campaigns.jsonl': campaigns() }),
};

const iot: PipelineTemplate = {
  id: 'iot-anomaly',
  title: 'IoT anomaly',
  useCase: 'Alert on devices whose temperature spikes',
  description: 'IoT readings → sliding 1 min windows every 10 s per device (average and maximum temperature) → route: an alert when the maximum is far above the average.',
  document: () => pipeline('IoT temperature anomalies', iot.description, [
    ['sensors', 'source.generator', { scenario: 'iot', ratePerSec: 200, seed: 5, keys: 40, outOfOrderness: '2s' }, 0, 100],
    ['per_device', 'window', { type: 'sliding', size: '1m', slide: '10s', keyBy: ['device_id'], aggregates: [
      { name: 'avg_temp', fn: 'avg', field: 'temperature' }, { name: 'max_temp', fn: 'max', field: 'temperature' }, { name: 'readings', fn: 'count' },
    ] }, 260, 100],
    ['threshold', 'route', { match: 'first', routes: [{ port: 'alert', where: 'max_temp > avg_temp + 10' }] }, 520, 100],
    ['alerts', 'sink.live', { maxRows: 200 }, 780, 20],
    ['normal', 'sink.live', { maxRows: 100 }, 780, 180],
  ], [['sensors', 'per_device'], ['per_device', 'threshold'], ['threshold', 'alerts', 'alert'], ['threshold', 'normal', 'default']]),
};

const demo: PipelineTemplate = {
  id: 'page-views',
  title: 'Page views per country',
  useCase: 'The first pipeline: count page views per country',
  description: 'Clickstream → page views → 10 s tumbling counts per country → live table.',
  document: demoPipeline,
};

/** A template's document carries its recorded test case (scripts/record-template-cases.mjs): `eddy test` passes on it. */
const withStoredCase = (t: PipelineTemplate): PipelineTemplate => ({
  ...t,
  document: () => {
    const doc = t.document();
    const stored = TEMPLATE_CASES[t.id];
    return stored ? { ...doc, tests: [structuredClone(stored)] } : doc;
  },
});

export const TEMPLATES: PipelineTemplate[] = [checkout, etl, campaign, ads, iot, demo].map(withStoredCase);

export const getTemplate = (id: string) => TEMPLATES.find((t) => t.id === id);

/** Orders with a few dirty rows: no amount, a bad line, mixed-case emails, USD and EUR. */
function sampleOrders(n: number): string {
  const countries = ['de', 'US', 'fr', null, 'GB', 'nl'];
  const lines: string[] = [];
  let x = 12345;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    if (i % 97 === 13) { lines.push('{"order_id": "broken'); continue; }
    const amount = i % 31 === 7 ? null : Math.round(next() * 50000) / 100;
    lines.push(JSON.stringify({
      order_id: `o-${i}`, ts: start + i * 1000 - Math.floor(next() * 1500), email: `Customer${i % 300}@Example.COM`,
      country: countries[i % countries.length], currency: i % 3 === 0 ? 'USD' : 'EUR', amount,
    }));
  }
  return lines.join('\n') + '\n';
}

/** The ad → campaign table of the Yahoo streaming benchmark: 100 campaigns of 10 ads. */
function campaigns(): string {
  const lines: string[] = [];
  for (let ad = 0; ad < 1000; ad++) lines.push(JSON.stringify({ ad_id: `ad-${ad}`, campaign_id: `c-${Math.floor(ad / 10)}` }));
  return lines.join('\n') + '\n';
}
