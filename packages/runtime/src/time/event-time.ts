import { parseIsoTimestamp } from '@eddy/shared';
import type { Rec } from '../core/batch.js';

// The one strict ISO-8601 parser (also TO_TIMESTAMP's in expressions) lives in shared.
export { parseIsoTimestamp };

/** Reads a record's event time: epoch ms (number or numeric string) or an ISO-8601 string (see parseIsoTimestamp). */
export function makeTimestampExtractor(field: string): (record: Rec) => number {
  const path = field.split('.');
  const read = path.length === 1
    ? (r: Rec) => r[field]
    : (r: Rec) => {
      let v: unknown = r;
      for (const p of path) v = v == null ? undefined : (v as Rec)[p];
      return v;
    };
  return (record) => {
    const v = read(record);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v !== '') {
      const n = EPOCH_MS.test(v) ? Number(v) : parseIsoTimestamp(v);
      if (n !== null && Number.isFinite(n)) return n;
    }
    throw new TypeError(v === undefined || v === null
      ? `Event time field '${field}' is missing`
      : `Event time field '${field}' is not epoch ms or ISO-8601: ${JSON.stringify(v)}`);
  };
}

const EPOCH_MS = /^-?\d+(\.\d+)?$/;

/**
 * Bounded out-of-orderness watermarks, per record (as Flink's BoundedOutOfOrdernessWatermarks
 * but advancing after every record so the answer does not depend on batching):
 * watermark = max event time seen - maxOutOfOrderness - 1.
 */
/** The bounded-out-of-orderness watermark after `maxEventTime` (none before any record): one rule for every reader. */
export const watermarkAfter = (maxEventTime: number, maxOutOfOrdernessMs: number): number =>
  maxEventTime === -Infinity ? -Infinity : maxEventTime - maxOutOfOrdernessMs - 1;

export class WatermarkTracker {
  private maxTs = -Infinity;
  current = -Infinity;

  constructor(private readonly maxOutOfOrdernessMs: number) {}

  /** The maximum event time seen: what a checkpoint keeps of the tracker. */
  get maxEventTime(): number {
    return this.maxTs;
  }

  restore(maxEventTime: number): void {
    this.maxTs = -Infinity;
    this.current = -Infinity;
    if (maxEventTime > -Infinity) this.observe(maxEventTime);
  }

  observe(ts: number): void {
    if (ts > this.maxTs) {
      this.maxTs = ts;
      this.current = watermarkAfter(ts, this.maxOutOfOrdernessMs);
    }
  }
}
