import type { Rec } from './batch.js';

/**
 * How deep a record may nest objects and arrays (the record itself is level 1). Deeper
 * records become dead letters at the source: code that walks a record recursively
 * (socket.io's encoder, JSON.stringify, a sink's driver) would overflow the stack on one
 * nested thousands deep and take the process down.
 */
export const MAX_RECORD_DEPTH = 64;

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';

/** True when the value nests deeper than `limit` levels. Iterative, so any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (!isObject(value)) return false;
  // Most records are flat: answer those without allocating (this runs once per record at every source).
  let nested = false;
  for (const k in value) if (isObject((value as Record<string, unknown>)[k])) { nested = true; break; }
  if (!nested) return limit < 1;
  const stack: object[] = [value];
  const depths: number[] = [1];
  while (stack.length) {
    const v = stack.pop() as Record<string, unknown>;
    const d = depths.pop()!;
    if (d > limit) return true;
    for (const k in v) {
      const child = v[k];
      if (isObject(child)) { stack.push(child); depths.push(d + 1); }
    }
  }
  return false;
}

/** A copy cut at `limit` levels, for the dead letter (recursion bounded by the limit). */
export function cutAt(value: unknown, limit: number): unknown {
  if (!isObject(value)) return value;
  if (limit <= 0) return `[nested deeper than ${MAX_RECORD_DEPTH} levels]`;
  if (Array.isArray(value)) return value.map((x) => cutAt(x, limit - 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: cutAt(v, limit - 1), enumerable: true, writable: true, configurable: true });
  return out;
}

/** The records within the depth limit (the same array when all are); the others go to `deadLetter`. */
export function withoutDeepRecords(records: Rec[], deadLetter: (record: unknown, reason: string) => void, limit = MAX_RECORD_DEPTH): Rec[] {
  let kept: Rec[] | undefined;
  for (let i = 0; i < records.length; i++) {
    if (!nestsDeeperThan(records[i], limit)) { kept?.push(records[i]); continue; }
    kept ??= records.slice(0, i);
    deadLetter(cutAt(records[i], limit), `The record nests deeper than ${limit} levels`);
  }
  return kept ?? records;
}
