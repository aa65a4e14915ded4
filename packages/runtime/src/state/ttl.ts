import type { KeyedMap, KeyedStateBackend } from './keyed-state.js';

/**
 * State TTL (as Flink's StateTtlConfig with OnReadAndWrite): a key not read or written for
 * `ttlMs` of processing time is dropped. Access order is kept in a Map (re-inserted on each
 * access), so a sweep stops at the first key still alive.
 */
export class TtlKeyedMap<V> implements KeyedMap<V> {
  private readonly touched = new Map<string, number>();

  constructor(private readonly inner: KeyedMap<V>, private readonly ttlMs: number, private readonly clock: () => number) {
    const now = clock();
    for (const [k] of inner.entries()) this.touched.set(k, now);
  }

  private touch(key: string): void {
    this.touched.delete(key);
    this.touched.set(key, this.clock());
  }

  get(key: string): V | undefined {
    const v = this.inner.get(key);
    if (v !== undefined) this.touch(key);
    return v;
  }

  set(key: string, value: V): void {
    this.inner.set(key, value);
    this.touch(key);
  }

  delete(key: string): boolean {
    this.touched.delete(key);
    return this.inner.delete(key);
  }

  has(key: string): boolean {
    return this.inner.has(key);
  }

  get size(): number {
    return this.inner.size;
  }

  entries(): IterableIterator<[string, V]> {
    return this.inner.entries();
  }

  clear(): void {
    this.touched.clear();
    this.inner.clear();
  }

  /** Drops keys idle for longer than the TTL; returns how many. */
  sweep(): number {
    const cutoff = this.clock() - this.ttlMs;
    let n = 0;
    for (const [k, t] of this.touched) {
      if (t > cutoff) break;
      this.touched.delete(k);
      this.inner.delete(k);
      n++;
    }
    return n;
  }
}

/** Wraps a backend so every map it hands out has the TTL; sweeps at most every 250 ms, between operator calls. */
export function withTtl(backend: KeyedStateBackend, ttlMs: number, clock: () => number): KeyedStateBackend {
  const maps = new Map<string, TtlKeyedMap<unknown>>();
  let lastSweep = clock();
  return {
    map<V>(name: string): KeyedMap<V> {
      let m = maps.get(name);
      if (!m) maps.set(name, (m = new TtlKeyedMap(backend.map<unknown>(name), ttlMs, clock)));
      return m as unknown as KeyedMap<V>;
    },
    keyCount: () => backend.keyCount(),
    approximateBytes: () => backend.approximateBytes(),
    snapshot: () => backend.snapshot(),
    exportState: () => backend.exportState(),
    importState: (s) => backend.importState(s),
    settle() {
      const now = clock();
      if (now - lastSweep >= 250) {
        lastSweep = now;
        for (const m of maps.values()) m.sweep();
      }
      backend.settle?.();
    },
    close: () => backend.close?.(),
  };
}
