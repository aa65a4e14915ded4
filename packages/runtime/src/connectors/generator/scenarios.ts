import type { Scenario } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { hashInt, SeededRandom } from './random.js';

export interface ScenarioContext { rng: SeededRandom; index: number; ts: number; keys: number }
export type ScenarioGenerator = (c: ScenarioContext) => Rec;

const COUNTRIES = ['DE', 'US', 'FR', 'GB', 'NL', 'AT', 'ES', 'IT', 'PL', 'SE'] as const;
const COUNTRY_WEIGHTS = [0.22, 0.2, 0.12, 0.12, 0.07, 0.06, 0.07, 0.06, 0.04, 0.04];
const CATEGORIES = ['shoes', 'apparel', 'electronics', 'home', 'beauty', 'sports', 'books', 'toys'] as const;
const CLICK_TYPES = ['page_view', 'add_to_cart', 'remove_from_cart', 'checkout', 'purchase'] as const;
const CLICK_WEIGHTS = [0.7, 0.12, 0.03, 0.08, 0.07];
const PRODUCTS = 500;
const SESSION_MS = 30 * 60_000;

const clickstream: ScenarioGenerator = ({ rng, index, ts, keys }) => {
  const user = rng.int(keys);
  const product = rng.int(PRODUCTS);
  const eventType = rng.weighted(CLICK_TYPES, CLICK_WEIGHTS);
  return {
    event_id: `e-${index}`,
    ts,
    user_id: `u-${user}`,
    // Sessions are 30-minute buckets of a user's activity: stable for a given user and time.
    session_id: `s-${user}-${Math.floor(ts / SESSION_MS)}`,
    event_type: eventType,
    product_id: `p-${product}`,
    category: CATEGORIES[product % CATEGORIES.length],
    price: 5 + (hashInt(product, 7) % 20_000) / 100,
    quantity: eventType === 'page_view' ? 1 : 1 + rng.int(3),
    country: homeCountry(user),
  };
};

function homeCountry(user: number): string {
  let x = (hashInt(user, 3) % 10_000) / 10_000;
  for (let i = 0; i < COUNTRIES.length; i++) {
    x -= COUNTRY_WEIGHTS[i];
    if (x < 0) return COUNTRIES[i];
  }
  return COUNTRIES[0];
}

const AD_TYPES = ['banner', 'modal', 'sponsored-search', 'mail', 'mobile'] as const;
const AD_EVENTS = ['view', 'click', 'purchase'] as const;
/** As the Yahoo streaming benchmark: 100 campaigns of 10 ads; campaign = floor(ad / 10). */
export const AD_COUNT = 1000;

const adEvents: ScenarioGenerator = ({ rng, ts, keys }) => ({
  user_id: `u-${rng.int(keys)}`,
  page_id: `pg-${rng.hex(8)}`,
  ad_id: `ad-${rng.int(AD_COUNT)}`,
  ad_type: rng.pick(AD_TYPES),
  event_type: rng.pick(AD_EVENTS),
  event_time: ts,
  ip_address: `10.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}`,
});

const FIRST = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter'] as const;
const LAST = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris'] as const;
const CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne'] as const;
const STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY'] as const;
const CHANNELS = ['apple', 'google', 'facebook', 'baidu'] as const;

/**
 * NEXMark in one stream, in the reference proportions: per 50 events, 1 person, 3 auctions
 * and 46 bids. Ids are derived from the event index, so they are dense and resumable.
 */
const nexmark: ScenarioGenerator = ({ rng, index, ts, keys }) => {
  const epoch = Math.floor(index / 50);
  const offset = index % 50;
  const people = Math.max(1, Math.min(keys, epoch + 1));
  if (offset === 0) {
    const id = 1000 + epoch;
    return {
      type: 'person', ts, id, name: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
      email: `p${id}@example.com`, city: rng.pick(CITIES), state: rng.pick(STATES),
    };
  }
  if (offset <= 3) {
    const id = 1000 + epoch * 3 + offset - 1;
    const initial = 1 + rng.int(1000);
    return {
      type: 'auction', ts, id, item_name: `item-${id}`, description: `Lot ${id}`, initial_bid: initial,
      reserve: initial + rng.int(1000), expires: ts + 10_000 + rng.int(20_000),
      seller: 1000 + Math.max(0, epoch - rng.int(people)), category: 10 + rng.int(5),
    };
  }
  // Bids favour recent auctions ("hot items"), as NEXMark's generator does.
  const latestAuction = 1000 + epoch * 3 + 2;
  const auction = rng.next() < 0.9 ? latestAuction - rng.int(Math.min(30, latestAuction - 999)) : 1000 + rng.int(latestAuction - 999);
  return {
    type: 'bid', ts, auction, bidder: 1000 + Math.max(0, epoch - rng.int(people)),
    price: Math.round(100 + rng.next() * 10_000) / 100, channel: rng.pick(CHANNELS),
    url: `https://bid.example.com/${auction}/${rng.hex(6)}`,
  };
};

const iot: ScenarioGenerator = ({ rng, ts, keys }) => {
  const device = rng.int(Math.min(keys, 100_000));
  const base = 18 + (hashInt(device, 11) % 80) / 10;
  // A slow daily wave plus noise, and a rare spike for anomaly templates to find.
  const wave = 3 * Math.sin((ts / 86_400_000) * 2 * Math.PI);
  const spike = rng.next() < 0.002 ? 25 + rng.next() * 10 : 0;
  return {
    device_id: `dev-${device}`, ts,
    temperature: Math.round((base + wave + rng.next() * 1.5 + spike) * 100) / 100,
    humidity: Math.round((40 + rng.next() * 30) * 10) / 10,
    battery: Math.max(0, 100 - (hashInt(device, 5) % 60) - Math.floor(ts / 3_600_000) % 10),
  };
};

export const SCENARIO_GENERATORS: Record<Scenario, ScenarioGenerator> = {
  clickstream, 'ad-events': adEvents, nexmark, iot,
};
