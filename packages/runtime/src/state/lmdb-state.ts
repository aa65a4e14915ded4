import { rmSync } from 'node:fs';
import { open, type Database, type DatabaseOptions, type RootDatabase } from 'lmdb';
import type { KeyedMap, KeyedStateBackend } from './keyed-state.js';

const ENCODER = { structuredClone: true }; // keeps Sets, Maps and ±Infinity in accumulators
/** lmdb accepts msgpackr's `encoder` options per database, but its typings omit them. */
const dbOptions = (name: string): DatabaseOptions & { name: string } => ({ name, encoder: ENCODER } as DatabaseOptions & { name: string });

/**
 * One LMDB environment per job (`<dataDir>/state/<pipelineId>`), holding the working state
 * of every node on disk so state may outgrow memory. It is not the source of truth after a
 * crash — checkpoints are — so it is opened without fsync and cleared when a job starts.
 */
export class LmdbEnvironment {
  private readonly root: RootDatabase;

  constructor(readonly path: string) {
    rmSync(path, { recursive: true, force: true });
    this.root = open({ path, noSync: true, maxDbs: 4096, encoder: ENCODER });
  }

  backend(nodeId: string, cacheLimit = 50_000): LmdbStateBackend {
    return new LmdbStateBackend(this.root, nodeId, cacheLimit);
  }

  async close(): Promise<void> {
    await this.root.close();
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** Keyed state of one node in LMDB, with a write-back cache of the values in use. */
export class LmdbStateBackend implements KeyedStateBackend {
  private readonly maps = new Map<string, LmdbKeyedMap<unknown>>();

  constructor(private readonly root: RootDatabase, private readonly nodeId: string, private readonly cacheLimit: number) {}

  map<V>(name: string): KeyedMap<V> {
    let m = this.maps.get(name);
    if (!m) this.maps.set(name, (m = new LmdbKeyedMap(this.root, this.root.openDB(dbOptions(`${this.nodeId}/${name}`)))));
    return m as unknown as KeyedMap<V>;
  }

  keyCount(): number {
    let n = 0;
    for (const m of this.maps.values()) n += m.size;
    return n;
  }

  approximateBytes(): number {
    let bytes = 0;
    for (const m of this.maps.values()) bytes += m.approximateBytes();
    return Math.round(bytes);
  }

  snapshot(): Record<string, [string, unknown][]> {
    const out: Record<string, [string, unknown][]> = {};
    for (const [name, m] of this.maps) out[name] = [...m.entries()].map(([k, v]) => [k, v instanceof Set ? [...v] : v]);
    return out;
  }

  exportState(): Map<string, Map<string, unknown>> {
    const out = new Map<string, Map<string, unknown>>();
    for (const [name, m] of this.maps) out.set(name, new Map(m.entries()));
    return out;
  }

  importState(maps: Map<string, Map<string, unknown>>): void {
    for (const [name, entries] of maps) {
      const m = this.map<unknown>(name) as LmdbKeyedMap<unknown>;
      m.clear();
      for (const [k, v] of entries) m.set(k, v);
      m.flush();
    }
  }

  /** Between operator calls: no operator holds a value, so the cache may be written out. */
  settle(): void {
    for (const m of this.maps.values()) if (m.cached > this.cacheLimit) m.flush();
  }
}

/**
 * Values handed out stay in the cache until a flush writes them all (operators update
 * accumulators in place, so every cached value counts as changed); deletes are remembered
 * until then too.
 */
class LmdbKeyedMap<V> implements KeyedMap<V> {
  private readonly cache = new Map<string, V>();
  private readonly deleted = new Set<string>();
  private count: number;

  constructor(private readonly root: RootDatabase, private readonly db: Database<V, string>) {
    this.count = db.getCount();
  }

  get cached(): number {
    return this.cache.size;
  }

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const hit = this.cache.get(key);
    if (hit !== undefined || this.deleted.has(key)) return hit;
    const v = this.db.get(key);
    if (v !== undefined) this.cache.set(key, v);
    return v;
  }

  has(key: string): boolean {
    return this.cache.has(key) || (!this.deleted.has(key) && this.db.doesExist(key));
  }

  set(key: string, value: V): void {
    if (!this.has(key)) this.count++;
    this.cache.set(key, value);
    this.deleted.delete(key);
  }

  delete(key: string): boolean {
    if (!this.has(key)) return false;
    this.cache.delete(key);
    this.deleted.add(key);
    this.count--;
    return true;
  }

  clear(): void {
    this.cache.clear();
    this.deleted.clear();
    this.root.transactionSync(() => { void this.db.clearSync(); });
    this.count = 0;
  }

  *entries(): IterableIterator<[string, V]> {
    this.flush();
    for (const { key, value } of this.db.getRange()) yield [key, value];
  }

  flush(): void {
    if (!this.cache.size && !this.deleted.size) return;
    this.root.transactionSync(() => {
      for (const k of this.deleted) void this.db.remove(k);
      for (const [k, v] of this.cache) void this.db.put(k, v);
    });
    this.cache.clear();
    this.deleted.clear();
  }

  approximateBytes(): number {
    if (!this.count) return 0;
    let sampled = 0;
    let bytes = 0;
    for (const [k, v] of this.cache) {
      bytes += k.length * 2 + (JSON.stringify(v, (_k, x) => (x instanceof Set ? [...x] : x))?.length ?? 0);
      if (++sampled >= 64) break;
    }
    return sampled ? (bytes / sampled) * this.count : this.count * 64;
  }
}
