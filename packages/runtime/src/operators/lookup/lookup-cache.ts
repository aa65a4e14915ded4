import type { Rec } from '../../core/batch.js';

/** Rows (and misses, as null) remembered for `ttlMs`; the oldest go first past `maxEntries`. */
export class LookupCache {
  private readonly entries = new Map<string, { row: Rec | null; until: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries = 100_000) {}

  /** undefined: not cached (or expired); null: a cached miss. */
  get(key: string, now: number): Rec | null | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e.row;
  }

  set(key: string, row: Rec | null, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { row, until: now + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
