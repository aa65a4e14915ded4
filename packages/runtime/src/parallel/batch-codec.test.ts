import { describe, expect, it } from 'vitest';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { Batch, Rec } from '../core/batch.js';
import { SeededRandom } from '../connectors/generator/random.js';
import { SCENARIO_GENERATORS } from '../connectors/generator/scenarios.js';
import { packBatches, transferablesOf, unpackBatches, type PackedBatches } from './batch-codec.js';
import type { WireEvent } from './wire.js';
import { packEvents, packTaps, unpackEvents, unpackTaps } from './wire-packing.js';

/** A value as a tree that keeps key order, -0, NaN and undefined fields visible to toStrictEqual. */
function shown(v: unknown): unknown {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : v;
  if (Array.isArray(v)) return { array: Array.from({ length: v.length }, (_x, i) => (i in v ? shown(v[i]) : 'hole')) };
  if (v !== null && typeof v === 'object') return { keys: Object.keys(v), values: Object.values(v).map(shown) };
  return v;
}

const batchOf = (records: Rec[], seqs = false): Batch => ({
  records, times: records.map((_r, i) => 1_000 + i), wms: records.map((_r, i) => (i < 2 ? -Infinity : 990 + i)), arrivedAt: 12.5,
  ...(seqs && { seqs: records.map((_r, i) => 7 * i) }),
});

/** Packs, moves the buffers through a real MessageChannel (transferred), unpacks. */
function roundTrip(batches: Batch[]): { out: Batch[]; packed: PackedBatches } {
  const packed = packBatches(batches);
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(packed, transferablesOf(packed));
  const received = receiveMessageOnPort(port2)!.message as PackedBatches;
  port1.close();
  return { out: unpackBatches(received), packed };
}

/** What structured clone (today's wire) would deliver is what the codec must deliver. */
function expectSameAsClone(batches: Batch[]): PackedBatches {
  const expected = shown(structuredClone(batches));
  const { out, packed } = roundTrip(batches);
  expect(shown(out)).toStrictEqual(expected);
  return packed;
}

const rng = new SeededRandom();
function randomValue(depth: number): unknown {
  const pick = rng.int(depth > 3 ? 8 : 11);
  switch (pick) {
    case 0: return rng.int(1000);
    case 1: return (rng.next() - 0.5) * 1e6;
    case 2: return [NaN, -0, 0, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2, -(2 ** 60)][rng.int(9)];
    case 3: return `s-${rng.hex(rng.int(20))}`;
    case 4: return ['', 'ünïcödé', '日本語テキスト', 'emoji 🦆🌊', 'lone \ud800 surrogate', 'nul\u0000byte', 'a'.repeat(300)][rng.int(7)];
    case 5: return rng.next() < 0.5;
    case 6: return null;
    case 7: return undefined;
    case 8: return Array.from({ length: rng.int(4) }, () => randomValue(depth + 1));
    default: return randomRecord(depth + 1);
  }
}
function randomRecord(depth = 0): Rec {
  const names = ['a', 'b', 'price', 'ts', '10', '2', 'key with space', 'ключ', '__proto__', ''];
  const r: Rec = {};
  for (let i = rng.int(6); i > 0; i--) {
    const k = names[rng.int(names.length)];
    Object.defineProperty(r, k, { value: randomValue(depth), enumerable: true, writable: true, configurable: true });
  }
  return r;
}

describe('batch codec', () => {
  it('round-trips generated NEXMark, ad-events and clickstream records as structured clone does', () => {
    for (const scenario of ['nexmark', 'ad-events', 'clickstream', 'iot'] as const) {
      const gen = SCENARIO_GENERATORS[scenario];
      const records = Array.from({ length: 500 }, (_x, index) =>
        JSON.parse(JSON.stringify(gen({ rng: rng.reseed(3, index), index, ts: 1_000 * index, keys: 50 }))) as Rec);
      const packed = expectSameAsClone([batchOf(records, true), batchOf(records.slice(100, 130))]);
      expect(packed.cloned).toEqual([]);
      // Flat records of a few shapes: the key lists travel once, not per record.
      expect(packed.shapes.length).toBeLessThanOrEqual(3);
    }
  });

  it('round-trips random nested records of mixed shapes, key order and special numbers included', () => {
    rng.reseed(42, 0);
    for (let round = 0; round < 50; round++) {
      const batches = Array.from({ length: 1 + rng.int(3) }, () =>
        batchOf(Array.from({ length: rng.int(60) }, () => randomRecord()), rng.next() < 0.5));
      expect(expectSameAsClone(batches).cloned).toEqual([]);
    }
  });

  it('keeps each record its own key order and missing fields within one shape run', () => {
    const records: Rec[] = [
      { a: 1, b: 'x' }, { b: 'y', a: 2 }, { a: 3 }, { a: 4, b: undefined }, { a: 5, b: 'z', c: -0 }, {}, { a: 6, b: 'w' },
    ];
    expectSameAsClone([batchOf(records)]);
  });

  it('keeps a field named __proto__ as an own field, not the prototype', () => {
    const r = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Rec;
    const [out] = roundTrip([batchOf([r, r])]).out;
    for (const rec of out.records) {
      expect(Object.getPrototypeOf(rec)).toBe(Object.prototype);
      expect(Object.keys(rec)).toEqual(['__proto__', 'y']);
      expect(Object.getOwnPropertyDescriptor(rec, '__proto__')!.value).toEqual({ x: 1 });
    }
  });

  it('round-trips empty input, empty batches and batch fields', () => {
    expect(roundTrip([]).out).toEqual([]);
    const { out } = roundTrip([batchOf([]), batchOf([{ a: 1 }], true)]);
    expect(out[0]).toStrictEqual({ records: [], times: [], wms: [], arrivedAt: 12.5 });
    expect(out[1]).toStrictEqual({ records: [{ a: 1 }], times: [1000], wms: [-Infinity], arrivedAt: 12.5, seqs: [0] });
  });

  it('keeps a packed message intact while later ones are packed', () => {
    const first = batchOf([{ a: 1, s: 'first', n: [1, 2] }, { a: 2, s: 'second record', n: [] }], true);
    const packed = packBatches([first]);
    packBatches([batchOf(Array.from({ length: 5000 }, (_x, i) => ({ other: i, s: `x${i}` })))]);
    expect(shown(unpackBatches(packed))).toStrictEqual(shown([first]));
  });

  it('moves the buffers without copying them (the sender can no longer read them)', () => {
    const { packed } = roundTrip([batchOf([{ a: 1, s: 'text' }])]);
    expect(packed.bytes.byteLength).toBe(0);
  });

  it('carries a batch it cannot pack as it is, by structured clone, in its place among the others', () => {
    class Point { constructor(public x: number) {} }
    const sparse = [1, , 3];
    const cyclic: Rec = { a: 1 };
    cyclic.self = cyclic;
    const unpackable: unknown[] = [new Date(5), 10n, new Map([[1, 2]]), new Point(1), sparse, new Uint8Array([1, 2]), { deep: { d: new Date(0) } }, cyclic];
    for (const value of unpackable) {
      const good = batchOf([{ a: 1, s: 'x' }, { a: 2, s: 'y' }]);
      const bad = batchOf([{ a: 0, s: 'before' }, { a: 1, v: value }]);
      const packed = packBatches([good, bad, good]);
      expect(packed.cloned.map(([index]) => index)).toEqual([1]);
      expect(packed.heads.length / 4).toBe(2);
      const { port1, port2 } = new MessageChannel();
      port1.postMessage(packed, transferablesOf(packed));
      const out = unpackBatches(receiveMessageOnPort(port2)!.message as PackedBatches);
      port1.close();
      expect(out.map((b) => b.records.length)).toEqual([2, 2, 2]);
      expect(shown(out[0])).toStrictEqual(shown(good));
      expect(shown(out[2])).toStrictEqual(shown(good));
      expect(out[1].records[1].v).toStrictEqual(structuredClone(bad.records[1].v));
    }
  });

  it('carries a batch whose times are not all numbers, or not one per record, by structured clone', () => {
    const base = batchOf([{ a: 1 }]);
    for (const bad of [{ ...base, times: [undefined as unknown as number] }, { ...base, wms: [1, 2] }, { ...base, seqs: [] }]) {
      const packed = packBatches([bad]);
      expect(packed.cloned).toHaveLength(1);
      expect(unpackBatches(packed)[0]).toBe(bad);
    }
  });

  it('round-trips strings on both sides of the length carried apart from the text', () => {
    const records = Array.from({ length: 40 }, (_x, i) => ({ s: 'x'.repeat(i), t: 'é'.repeat(40 - i), n: { [`k${'y'.repeat(i)}`]: 'z'.repeat(i % 15) } }));
    expectSameAsClone([batchOf(records)]);
  });

  it('packs records with a null prototype as plain objects, as structured clone does', () => {
    const r = Object.assign(Object.create(null) as Rec, { a: 1, b: [1, 2] });
    expect(expectSameAsClone([batchOf([r])]).cloned).toEqual([]);
  });

  it('carries tapped records packed (each node port its own list), what it cannot pack by structured clone', () => {
    const taps: [string, string, Rec[]][] = [
      ['m', 'out', Array.from({ length: 50 }, () => randomRecord())],
      ['w', 'late', [{ at: new Date(5), n: 1 }]],
      ['m', 'errors', []],
    ];
    const expected = shown(structuredClone(taps));
    const { taps: light, packed } = packTaps(taps);
    expect(light.map(([n, p, r]) => [n, p, r.length])).toEqual([['m', 'out', 0], ['w', 'late', 0], ['m', 'errors', 0]]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage({ light, packed }, transferablesOf(packed));
    const got = receiveMessageOnPort(port2)!.message as { light: typeof light; packed: PackedBatches };
    port1.close();
    expect(shown(unpackTaps(got.light, got.packed))).toStrictEqual(expected);
    expect(packed.cloned.map(([i]) => i)).toEqual([1]);
  });

  it('packs a tap\'s records alone: no times or watermarks cross for them, each record keeps its key order', () => {
    const records: Rec[] = [{ a: 'x', b: 'p' }, { a: 'y', b: 'q' }, { b: 'r', a: 'z' }];
    const { taps: light, packed } = packTaps([['s', 'out', records]]);
    expect(packed.counts[0]).toBe(0); // numbers: none (the records hold strings only)
    const [[, , out]] = unpackTaps(light, packed);
    expect(shown(out)).toStrictEqual(shown(records));
    expect(out.map((r) => Object.keys(r).join())).toEqual(['a,b', 'a,b', 'b,a']);
  });

  it('carries tapped records among a message\'s events packed with its batches, each back in its place', () => {
    const records = Array.from({ length: 20 }, () => randomRecord());
    const events: WireEvent[] = [
      { k: 't', node: 'm', port: 'out', records: records.slice(0, 10) },
      { k: 'm', piece: 3, max: 7 },
      { k: 'b', e: 0, c: 1, at: 5, records: records.slice(10), times: records.slice(10).map((_, i) => i), wms: records.slice(10).map(() => -1) },
      { k: 't', node: 'w', port: 'late', records: [{ at: new Date(5), n: 1 }] },
    ];
    const expected = shown(structuredClone(events));
    const { events: light, packed } = packEvents(events);
    expect(light.filter((e) => e.k === 't').map((e) => (e as { records: Rec[] }).records.length)).toEqual([0, 0]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage({ light, packed }, packed ? transferablesOf(packed) : []);
    const got = receiveMessageOnPort(port2)!.message as { light: WireEvent[]; packed?: PackedBatches };
    port1.close();
    expect(shown(unpackEvents(got.light, got.packed))).toStrictEqual(expected);
  });
});
