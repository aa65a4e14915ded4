import type { Redis } from 'ioredis';
import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { resolveSecret } from '../../core/secrets.js';
import { recordTemplate } from '../common/template.js';
import { hashValue, ioredis } from './client.js';

/** Writes each batch as one pipeline of HSET (idempotent), XADD or PUBLISH commands and waits for it. */
export class RedisSinkOperator implements Operator {
  private redis: Redis | null = null;
  private readonly keyOf: (r: Rec) => string;
  private readonly ttlMs: number | null;

  constructor(private readonly params: ParamsOf<'sink.redis'>, private readonly ctx: OperatorContext) {
    this.keyOf = recordTemplate(params.key);
    this.ttlMs = params.ttl ? parseDuration(params.ttl) : null;
  }

  async open(): Promise<void> {
    const url = resolveSecret(this.params.url, 'url');
    const { Redis } = await ioredis();
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
    this.redis.on('error', () => undefined);
    try {
      await this.redis.connect();
    } catch (err) {
      throw new Error(`sink.redis '${this.ctx.node.id}': cannot connect to Redis: ${(err as Error).message}`);
    }
  }

  async processBatch(batch: Batch): Promise<void> {
    const pipe = this.redis!.pipeline();
    for (const r of batch.records) {
      const key = this.keyOf(r);
      if (this.params.mode === 'hash') {
        pipe.hset(key, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, hashValue(v)])));
        if (this.ttlMs !== null) pipe.pexpire(key, this.ttlMs);
      } else if (this.params.mode === 'stream') {
        if (this.params.maxLen) pipe.xadd(key, 'MAXLEN', '~', this.params.maxLen, '*', 'data', JSON.stringify(r));
        else pipe.xadd(key, '*', 'data', JSON.stringify(r));
      } else {
        pipe.publish(key, JSON.stringify(r));
      }
    }
    const replies = (await pipe.exec()) ?? [];
    const failed = replies.find(([err]) => err);
    // A refused command (a key of another type, say) fails the pipeline: it would fail every retry the same way.
    if (failed) throw new Error(`sink.redis '${this.ctx.node.id}': ${failed[0]!.message}`);
  }

  async close(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
    this.redis = null;
  }
}
