import type { Batch, Rec } from '../core/batch.js';
import { packBatches, RECORDS_ONLY, unpackBatches, type PackedBatches } from './batch-codec.js';
import type { WireEvent } from './wire.js';

// What a message between threads carries: its events, their batches packed into one transferable buffer.

const NONE: never[] = [];

/** A message's batches packed into one transferable buffer (batch-codec.ts); its events keep the rest. */
export function packEvents(events: WireEvent[]): { events: WireEvent[]; packed?: PackedBatches } {
  const batches: Batch[] = [];
  const light = events.map((ev): WireEvent => {
    if (ev.k === 't') {
      batches.push({ records: ev.records, times: RECORDS_ONLY, wms: RECORDS_ONLY, arrivedAt: 0 });
      return { k: 't', node: ev.node, port: ev.port, records: NONE };
    }
    if (ev.k !== 'b') return ev;
    batches.push(ev.seqs ? { records: ev.records, times: ev.times, wms: ev.wms, arrivedAt: ev.at, seqs: ev.seqs }
      : { records: ev.records, times: ev.times, wms: ev.wms, arrivedAt: ev.at });
    return { k: 'b', e: ev.e, c: ev.c, at: ev.at, records: NONE, times: NONE, wms: NONE };
  });
  return batches.length ? { events: light, packed: packBatches(batches) } : { events };
}

/** Tapped records (node, port, records) packed as batches of records only, so taps cross threads as cheaply as exchanges. */
export function packTaps(taps: [string, string, Rec[]][]): { taps: [string, string, Rec[]][]; packed: PackedBatches } {
  const batches = taps.map(([, , records]): Batch => ({ records, times: RECORDS_ONLY, wms: RECORDS_ONLY, arrivedAt: 0 }));
  return { taps: taps.map(([node, port]) => [node, port, NONE]), packed: packBatches(batches) };
}

export function unpackTaps(taps: [string, string, Rec[]][], packed: PackedBatches | undefined): [string, string, Rec[]][] {
  if (!packed) return taps;
  const batches = unpackBatches(packed);
  return taps.map(([node, port], i) => [node, port, batches[i].records]);
}

/** The events of a packed message, their batches back in place. */
export function unpackEvents(events: WireEvent[], packed: PackedBatches | undefined): WireEvent[] {
  if (!packed) return events;
  const batches = unpackBatches(packed);
  let j = 0;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (ev.k === 't') { events[i] = { ...ev, records: batches[j++].records }; continue; }
    if (ev.k !== 'b') continue;
    const b = batches[j++];
    events[i] = b.seqs ? { ...ev, records: b.records, times: b.times, wms: b.wms, seqs: b.seqs } : { ...ev, records: b.records, times: b.times, wms: b.wms };
  }
  return events;
}
