import type { Rec } from './batch.js';

/**
 * Sets a record field by a name that comes from data (a JSON key, a CSV header, a looked-up
 * row's column). `o[name] = v` with name `__proto__` would replace the record's prototype
 * (or do nothing) instead of adding a field; this adds it as an own field, as JSON.parse does.
 */
export function setField(o: Rec, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
  else o[name] = value;
}
