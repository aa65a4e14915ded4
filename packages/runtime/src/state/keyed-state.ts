/**
 * Keyed state behind one interface. The memory backend serves tests and `eddy run`;
 * an on-disk backend implements the same interface for deployed pipelines.
 */
export interface KeyedMap<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): boolean;
  has(key: string): boolean;
  readonly size: number;
  entries(): IterableIterator<[string, V]>;
  clear(): void;
}

export interface KeyedStateBackend {
  /** A named map of keyed state owned by one operator (created on first use). */
  map<V>(name: string): KeyedMap<V>;
  /** Number of keys over all maps (metrics). */
  keyCount(): number;
  /** Rough size in bytes over all maps (metrics). */
  approximateBytes(): number;
  /** Plain-JSON copy of every map, for the state view. */
  snapshot(): Record<string, [string, unknown][]>;
  /**
   * Every map, as values the checkpoint serializes at once (v8 structured clone keeps Sets,
   * Maps and non-finite numbers that JSON would lose). Called inside the job's mailbox, so
   * the copy is consistent with the barrier.
   */
  exportState(): Map<string, Map<string, unknown>>;
  importState(maps: Map<string, Map<string, unknown>>): void;
  /** Called between operator calls (no values held): an on-disk backend may write its cache back. */
  settle?(): void;
  /** Releases files or handles (an on-disk backend). */
  close?(): void | Promise<void>;
}

export class MemoryStateBackend implements KeyedStateBackend {
  private readonly maps = new Map<string, Map<string, unknown>>();

  map<V>(name: string): KeyedMap<V> {
    let m = this.maps.get(name);
    if (!m) this.maps.set(name, (m = new Map()));
    return m as unknown as KeyedMap<V>;
  }

  keyCount(): number {
    let n = 0;
    for (const m of this.maps.values()) n += m.size;
    return n;
  }

  approximateBytes(): number {
    // Sampling keeps this cheap for large state: measure up to 64 entries per map, extrapolate.
    let bytes = 0;
    for (const m of this.maps.values()) {
      if (m.size === 0) continue;
      let sampled = 0;
      let sampleBytes = 0;
      for (const [k, v] of m) {
        sampleBytes += k.length * 2 + jsonSize(v);
        if (++sampled >= 64) break;
      }
      bytes += (sampleBytes / sampled) * m.size;
    }
    return Math.round(bytes);
  }

  snapshot(): Record<string, [string, unknown][]> {
    const out: Record<string, [string, unknown][]> = {};
    for (const [name, m] of this.maps) out[name] = [...m.entries()].map(([k, v]) => [k, toPlain(v)]);
    return out;
  }

  exportState(): Map<string, Map<string, unknown>> {
    return this.maps;
  }

  importState(maps: Map<string, Map<string, unknown>>): void {
    // Operators hold their maps from open(), which runs after this: replacing them is safe.
    this.maps.clear();
    for (const [name, m] of maps) this.maps.set(name, m);
  }
}

function toPlain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x] : x)));
}

function jsonSize(v: unknown): number {
  try {
    return JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x] : x))?.length ?? 0;
  } catch {
    return 0;
  }
}
