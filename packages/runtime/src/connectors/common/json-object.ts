import type { Rec } from '../../core/batch.js';

/** A message's text as a record: a JSON object, or null for anything else (the caller dead-letters it). */
export function parseJsonObject(text: string): Rec | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : null;
  } catch {
    return null;
  }
}
