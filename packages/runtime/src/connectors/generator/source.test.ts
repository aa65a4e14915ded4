import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMAS, SCENARIOS } from '@eddy/shared';
import { paramsOf } from '../../test-utils/params.js';
import { GeneratorSource } from './source.js';

const make = (over: Record<string, unknown> = {}) => new GeneratorSource(paramsOf('source.generator', over), () => 0);

describe('GeneratorSource', () => {
  it.each(SCENARIOS)('%s: same seed and index give the same record, fields as the catalog says', (scenario) => {
    const a = make({ scenario, seed: 7 });
    const b = make({ scenario, seed: 7 });
    const c = make({ scenario, seed: 8 });
    const fields = Object.keys(SCENARIO_SCHEMAS[scenario].fields);
    let differs = 0;
    for (let i = 0; i < 200; i++) {
      const r = a.record(i, 1_000_000);
      expect(b.record(i, 1_000_000)).toEqual(r);
      if (JSON.stringify(c.record(i, 1_000_000)) !== JSON.stringify(r)) differs++;
      for (const key of Object.keys(r)) expect(fields, `${scenario}.${key}`).toContain(key);
    }
    expect(differs).toBeGreaterThan(100);
    // Record i does not depend on what was generated before it (restart from an offset).
    expect(make({ scenario, seed: 7 }).record(150, 1_000_000)).toEqual(a.record(150, 1_000_000));
  });

  it('spaces event time by the rate and jitters it backwards within outOfOrderness', () => {
    const g = make({ ratePerSec: 100, outOfOrderness: '2s' });
    const times = Array.from({ length: 500 }, (_v, i) => g.record(i, 0).ts as number);
    times.forEach((t, i) => {
      expect(t).toBeLessThanOrEqual(i * 10);
      expect(t).toBeGreaterThanOrEqual(i * 10 - 2000);
    });
    expect(times.some((t, i) => i > 0 && t < times[i - 1])).toBe(true);
    expect(g.eventTime).toEqual({ field: 'ts', maxOutOfOrdernessMs: 2000 });
  });

  it('clickstream looks like a shop: mostly page views, prices per product, realistic countries', () => {
    const g = make({ scenario: 'clickstream' });
    const records = Array.from({ length: 5000 }, (_v, i) => g.record(i, 0));
    const views = records.filter((r) => r.event_type === 'page_view').length / records.length;
    expect(views).toBeGreaterThan(0.6);
    expect(views).toBeLessThan(0.8);
    const priceOf = new Map<unknown, unknown>();
    for (const r of records) {
      if (priceOf.has(r.product_id)) expect(r.price).toBe(priceOf.get(r.product_id));
      priceOf.set(r.product_id, r.price);
    }
    expect(new Set(records.map((r) => r.country)).size).toBeGreaterThan(5);
  });

  it('nexmark has persons, auctions and bids in the reference 1:3:46 proportion', () => {
    const g = make({ scenario: 'nexmark' });
    const types = Array.from({ length: 5000 }, (_v, i) => g.record(i, 0).type);
    expect(types.filter((t) => t === 'person').length).toBe(100);
    expect(types.filter((t) => t === 'auction').length).toBe(300);
    expect(types.filter((t) => t === 'bid').length).toBe(4600);
  });
});
