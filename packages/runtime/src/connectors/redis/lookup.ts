import type { Redis } from 'ioredis';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { resolveSecret } from '../../core/secrets.js';
import { keyString } from '../../core/keys.js';
import type { RemoteStore } from '../common/lookup-store.js';
import { ioredis, parseHashValue } from './client.js';

/** Rows from Redis: a hash (or a JSON object string) at keyPrefix + key, fetched in one pipeline per batch. */
export class RedisLookupStore implements RemoteStore {
  private client: Redis | null = null;

  constructor(private readonly params: ParamsOf<'lookup'>, private readonly nodeId: string) {}

  async open(): Promise<void> {
    const url = resolveSecret(this.params.url!, 'url');
    const { Redis } = await ioredis();
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
    this.client.on('error', () => undefined); // a dropped connection fails the next fetch instead of the process
    try {
      await this.client.connect();
    } catch (err) {
      throw new Error(`lookup '${this.nodeId}': cannot connect to Redis: ${(err as Error).message}`);
    }
  }

  async fetch(keys: unknown[]): Promise<Map<string, Rec>> {
    const { keyPrefix, valueFormat, fields, keyField } = this.params;
    const pipe = this.client!.pipeline();
    for (const k of keys) {
      const key = keyPrefix + String(k);
      if (valueFormat === 'json') pipe.get(key);
      else if (fields.length) pipe.hmget(key, ...fields);
      else pipe.hgetall(key);
    }
    const replies = (await pipe.exec()) ?? [];
    const found = new Map<string, Rec>();
    replies.forEach(([err, value], i) => {
      if (err) throw new Error(`lookup '${this.nodeId}': Redis: ${err.message}`);
      const row = this.toRow(value);
      if (row) found.set(keyString(keys[i]), { [keyField]: keys[i], ...row });
    });
    return found;
  }

  private toRow(value: unknown): Rec | null {
    if (value === null || value === undefined) return null;
    if (this.params.valueFormat === 'json') {
      try {
        const parsed = JSON.parse(value as string) as unknown;
        return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Rec) : null;
      } catch {
        return null;
      }
    }
    if (Array.isArray(value)) {
      // HMGET: one value per field; a key with none of them is a miss.
      if (value.every((v) => v === null)) return null;
      return Object.fromEntries(this.params.fields.map((f, i) => [f, value[i] === null ? null : parseHashValue(value[i] as string)]));
    }
    const hash = value as Record<string, string>;
    if (Object.keys(hash).length === 0) return null;
    return Object.fromEntries(Object.entries(hash).map(([f, v]) => [f, parseHashValue(v)]));
  }

  async close(): Promise<void> {
    await this.client?.quit().catch(() => this.client?.disconnect());
    this.client = null;
  }
}
