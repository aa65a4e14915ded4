import type { Producer } from 'kafkajs';
import type { ParamsOf } from '@eddy/shared';
import type { Batch } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { kafkaClient } from './client.js';

/** An idempotent producer; each batch is one send acknowledged by all in-sync replicas. */
export class KafkaSinkOperator implements Operator {
  private producer: Producer | null = null;

  constructor(private readonly params: ParamsOf<'sink.kafka'>, private readonly ctx: OperatorContext) {}

  async open(): Promise<void> {
    this.producer = kafkaClient(this.params.brokers, this.ctx.node.id).producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      await this.producer.connect();
    } catch (err) {
      throw new Error(`sink.kafka '${this.ctx.node.id}': cannot connect: ${(err as Error).message}`);
    }
  }

  async processBatch(batch: Batch): Promise<void> {
    const { topic, key } = this.params;
    await this.producer!.send({
      topic, acks: -1,
      messages: batch.records.map((r) => ({ key: key && r[key] !== null && r[key] !== undefined ? String(r[key]) : null, value: JSON.stringify(r) })),
    });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
  }
}
