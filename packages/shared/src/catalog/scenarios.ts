import type { FieldSchema, RecordSchema } from '../schema/record-schema.js';

/** Built-in generator scenarios and their record schemas (the runtime generates them). */
export const SCENARIOS = ['clickstream', 'ad-events', 'nexmark', 'iot'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const s = (doc?: string): FieldSchema => ({ type: 'string', doc });
const n = (doc?: string): FieldSchema => ({ type: 'number', doc });
const i = (doc?: string): FieldSchema => ({ type: 'number', integer: true, doc });
const ts = (doc: string): FieldSchema => ({ type: 'number', integer: true, timestamp: true, doc });

export const SCENARIO_SCHEMAS: Record<Scenario, RecordSchema> = {
  clickstream: {
    fields: {
      event_id: s('Unique event id'),
      ts: ts('Event time, epoch ms'),
      user_id: s(), session_id: s(),
      event_type: s('page_view, add_to_cart, remove_from_cart, checkout, purchase'),
      product_id: s(), category: s(), price: n(), quantity: i(), country: s('ISO country code'),
    },
  },
  'ad-events': {
    fields: {
      user_id: s(), page_id: s(), ad_id: s(), ad_type: s('banner, modal, sponsored-search, mail, mobile'),
      event_type: s('view, click, purchase'), event_time: ts('Event time, epoch ms'), ip_address: s(),
    },
  },
  nexmark: {
    fields: {
      type: s('person, auction or bid'), ts: ts('Event time, epoch ms'),
      // person
      id: i(), name: s(), email: s(), city: s(), state: s(),
      // auction
      item_name: s(), description: s(), initial_bid: i(), reserve: i(), expires: i('Epoch ms'), seller: i(), category: i(),
      // bid
      auction: i(), bidder: i(), price: n(), channel: s(), url: s(),
    },
  },
  iot: {
    fields: { device_id: s(), ts: ts('Event time, epoch ms'), temperature: n(), humidity: n(), battery: i() },
  },
};

/** The event-time field of each scenario. */
export const SCENARIO_TIME_FIELD: Record<Scenario, string> = {
  clickstream: 'ts', 'ad-events': 'event_time', nexmark: 'ts', iot: 'ts',
};
