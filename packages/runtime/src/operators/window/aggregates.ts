import type { AggregateFn, WindowAggregate } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { fieldReader } from '../../core/keys.js';

/**
 * Accumulators are plain JSON-able values so window state snapshots as-is. SQL semantics:
 * NULL values are skipped by every aggregate; `count` with a field is COUNT(field) (the
 * non-NULL values), without one COUNT(*) (the rows); an empty aggregate is NULL (count: 0).
 */
export interface AggregateSpec {
  name: string;
  fn: AggregateFn;
  read: (r: Rec) => unknown;
}

export type Accumulator = unknown;

export class AggregateTypeError extends Error {}

export function makeAggregateSpecs(aggregates: WindowAggregate[]): AggregateSpec[] {
  return aggregates.map((a) => ({ name: a.name, fn: a.fn, read: a.field ? fieldReader(a.field) : () => 1 }));
}

export { fieldReader };

export function initAccumulator(fn: AggregateFn): Accumulator {
  switch (fn) {
    case 'count': return 0;
    case 'avg': return [0, 0];
    case 'count_distinct': return [];
    case 'p50': case 'p95': case 'p99': return [];
    case 'first': case 'last': return null;
    default: return null;
  }
}

const num = (fn: string, v: unknown): number => {
  if (typeof v !== 'number') throw new AggregateTypeError(`${fn} needs numbers, got ${typeof v} ${JSON.stringify(v)}`);
  return v;
};

/** Throws AggregateTypeError when `accumulate` would refuse the value; changes nothing. */
export function checkValue(fn: AggregateFn, acc: Accumulator, v: unknown): void {
  if (v === null || v === undefined || fn === 'count') return;
  if (fn === 'sum' || fn === 'avg' || fn === 'p50' || fn === 'p95' || fn === 'p99') num(fn, v);
  else if ((fn === 'min' || fn === 'max') && acc !== null) compare(v, acc);
}

/** Throws AggregateTypeError when `mergeAccumulators` would refuse to combine the two; changes nothing. */
export function checkMerge(fn: AggregateFn, acc: Accumulator, other: Accumulator): void {
  if ((fn === 'min' || fn === 'max') && acc !== null && other !== null) compare(other, acc);
}

/** Adds one value to an accumulator; returns the new accumulator. `ts` orders first/last by event time. */
export function accumulate(fn: AggregateFn, acc: Accumulator, v: unknown, ts: number): Accumulator {
  if (v === null || v === undefined) return acc;
  switch (fn) {
    case 'count': return (acc as number) + 1;
    case 'sum': return (acc === null ? 0 : (acc as number)) + num(fn, v);
    case 'avg': { const a = acc as [number, number]; a[0] += num(fn, v); a[1]++; return a; }
    case 'min': return acc === null || compare(v, acc) < 0 ? v : acc;
    case 'max': return acc === null || compare(v, acc) > 0 ? v : acc;
    // first/last by event time; ties keep arrival order.
    case 'first': return acc === null || ts < (acc as [number, unknown])[0] ? [ts, v] : acc;
    case 'last': return acc === null || ts >= (acc as [number, unknown])[0] ? [ts, v] : acc;
    case 'count_distinct': {
      const seen = acc as unknown[];
      const key = typeof v === 'object' ? JSON.stringify(v) : v;
      if (!seen.includes(key)) seen.push(key);
      return seen;
    }
    case 'p50': case 'p95': case 'p99': (acc as number[]).push(num(fn, v)); return acc;
  }
}

export function result(fn: AggregateFn, acc: Accumulator): unknown {
  switch (fn) {
    case 'avg': { const [s, c] = acc as [number, number]; return c ? s / c : null; }
    case 'first': case 'last': return acc === null ? null : (acc as [number, unknown])[1];
    case 'count_distinct': return (acc as unknown[]).length;
    case 'p50': return percentile(acc as number[], 50);
    case 'p95': return percentile(acc as number[], 95);
    case 'p99': return percentile(acc as number[], 99);
    default: return acc;
  }
}

/** Nearest-rank percentile (exact: windows keep their values). */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === typeof b) return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  throw new AggregateTypeError(`min/max cannot compare ${typeof a} with ${typeof b}`);
}

/** Combines two accumulators of the same aggregate (session windows merging). */
export function mergeAccumulators(fn: AggregateFn, a: Accumulator, b: Accumulator): Accumulator {
  if (a === null) return b;
  if (b === null) return a;
  switch (fn) {
    case 'count': case 'sum': return (a as number) + (b as number);
    case 'avg': { const x = a as [number, number]; const y = b as [number, number]; return [x[0] + y[0], x[1] + y[1]]; }
    case 'min': return compare(b, a) < 0 ? b : a;
    case 'max': return compare(b, a) > 0 ? b : a;
    case 'first': return (b as [number, unknown])[0] < (a as [number, unknown])[0] ? b : a;
    case 'last': return (b as [number, unknown])[0] >= (a as [number, unknown])[0] ? b : a;
    case 'count_distinct': {
      const out = [...(a as unknown[])];
      for (const v of b as unknown[]) if (!out.includes(v)) out.push(v);
      return out;
    }
    case 'p50': case 'p95': case 'p99': return (a as number[]).concat(b as number[]);
  }
}
