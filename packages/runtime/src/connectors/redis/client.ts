import { loadOnce } from '../common/load-once.js';

/** ioredis, loaded when a Redis node first connects. */
export const ioredis = loadOnce(() => import('ioredis'));

/** A hash field's text: strings as they are, everything else as JSON (read back by parseHashValue). */
export const hashValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v ?? null));

/** A hash field is text in Redis: JSON numbers, booleans and null come back as such, the rest stays text. */
export function parseHashValue(v: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === 'null') return null;
  if (v.trim() !== '' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return v;
}
