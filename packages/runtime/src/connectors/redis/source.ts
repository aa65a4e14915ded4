import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { sourceEventTime, type SourceConnector, type SourceEventTime, type SourceOutput } from '../../core/source.js';
import { isPromise } from '../../core/async.js';
import { resolveSecret } from '../../core/secrets.js';
import { parseJsonObject } from '../common/json-object.js';
import { ioredis, parseHashValue } from './client.js';

const READ_COUNT = 512;
const BLOCK_MS = 1000;

/** Stream IDs `ms-seq` compare as number pairs. */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || (as ?? 0) - (bs ?? 0);
}

/** Reads a Redis stream with XREAD; the ID of the last entry handed on is the checkpoint offset. */
export class RedisStreamSource implements SourceConnector {
  readonly eventTime: SourceEventTime | undefined;
  /** ID of the last entry handed on ('0-0': none yet). */
  lastId = '0-0';
  private restored = false;

  constructor(private readonly params: ParamsOf<'source.redis'>, private readonly nodeId: string) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  checkpointPosition(): unknown {
    return this.lastId;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'string' && /^\d+-\d+$/.test(position)) {
      this.lastId = position;
      this.restored = true;
    }
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const url = resolveSecret(this.params.url, 'url');
    const { Redis } = await ioredis();
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
    } catch (err) {
      throw new Error(`source.redis '${this.nodeId}': cannot connect to Redis: ${(err as Error).message}`);
    }
    try {
      const newest = async () => ((await redis.xrevrange(this.params.stream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0');
      if (!this.restored && this.params.startAt === 'new') this.lastId = await newest();
      const endId = this.params.stopAtEnd ? await newest() : null;
      while (!signal.aborted) {
        if (endId !== null && compareIds(this.lastId, endId) >= 0) return;
        const args: (string | number)[] = ['COUNT', READ_COUNT];
        if (endId === null) args.push('BLOCK', BLOCK_MS);
        const reply = (await redis.xread(...(args as ['COUNT', number]), 'STREAMS', this.params.stream, this.lastId)) as [string, [string, string[]][]][] | null;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) {
          if (endId !== null) return; // trimmed below endId: nothing more to read
          continue;
        }
        const records: Rec[] = [];
        for (const [id, kv] of entries) {
          if (endId !== null && compareIds(id, endId) > 0) break;
          this.lastId = id;
          const record = this.toRecord(kv);
          if (record) records.push(record);
          else out.deadLetter(Object.fromEntries(pairs(kv)), `source.redis '${this.nodeId}': entry ${id} has no JSON object in '${this.params.jsonField}'`);
        }
        if (records.length) {
          const pushed = out.push(records);
          if (isPromise(pushed)) await pushed;
        }
      }
    } finally {
      redis.disconnect();
    }
  }

  private toRecord(kv: string[]): Rec | null {
    if (this.params.format === 'fields') return Object.fromEntries(pairs(kv).map(([k, v]) => [k, parseHashValue(v)]));
    const raw = pairs(kv).find(([k]) => k === this.params.jsonField)?.[1];
    if (raw === undefined) return null;
    return parseJsonObject(raw);
  }
}

function pairs(kv: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < kv.length; i += 2) out.push([kv[i], kv[i + 1]]);
  return out;
}
