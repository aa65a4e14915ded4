import type { Admin, Message, Producer } from 'kafkajs';
import type { ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { CheckpointBarrier, Operator, OperatorContext } from '../../core/operator.js';
import { kafkaClient } from './client.js';

interface Epoch { checkpointId: number; records: Rec[] }
interface KafkaSinkSnapshot { pending: Epoch[] }

/** Bytes of values per produce request: a record batch must stay under the broker's message.max.bytes (1 MB). */
const REQUEST_BYTES = 512 * 1024;

/**
 * Writes records as JSON to a topic.
 *
 * At-least-once: an idempotent producer, one send per batch, acks from all in-sync replicas.
 *
 * Exactly-once, two-phase as Flink's KafkaSink: the barrier pre-commits the records since the
 * last one (they go into the checkpoint, so a restart can still commit them), and when the
 * checkpoint is durable they are written in one Kafka transaction, together with a marker —
 * the checkpoint id as the offset of a consumer group of the sink's own — so a transaction
 * either holds both or neither. A restart opens a producer with the same transactional id,
 * which fences the crashed one and aborts its open transaction, reads the marker, and commits
 * the restored epochs that came after it. (Flink resumes the crashed transaction by producer
 * id and epoch through the Java client's internals; Node clients cannot, hence the epochs in
 * the checkpoint, as the Postgres sink keeps them.) `read_committed` readers see each record once.
 */
export class KafkaSinkOperator implements Operator {
  private producer: Producer | null = null;
  private readonly exactlyOnce: boolean;
  private readonly transactionalId: string;
  private readonly markerGroup: string;
  private buffer: Rec[] = [];
  private sealed: Epoch[] = [];

  constructor(private readonly params: ParamsOf<'sink.kafka'>, private readonly ctx: OperatorContext) {
    this.exactlyOnce = ctx.document.settings.guarantee === 'exactly-once';
    const id = `${ctx.pipelineId}.${ctx.node.id}`.replace(/[^A-Za-z0-9._-]/g, '_');
    this.transactionalId = `eddy.${id}`;
    this.markerGroup = `eddy-sink.${id}`;
  }

  async open(): Promise<void> {
    const { ctx } = this;
    const kafka = await kafkaClient(this.params.brokers, ctx.node.id);
    this.producer = this.exactlyOnce
      ? kafka.producer({ transactionalId: this.transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout: 60_000 })
      : kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    try {
      // With a transactional id this also fences a crashed predecessor and aborts its open transaction.
      await this.producer.connect();
    } catch (err) {
      throw new Error(`sink.kafka '${ctx.node.id}': cannot connect: ${(err as Error).message}`);
    }
    if (!this.exactlyOnce) return;
    const restored = ctx.restored as KafkaSinkSnapshot | undefined;
    if (!restored) {
      // A fresh start: checkpoint ids begin anew, so the marker of an earlier deployment must not hide them.
      await this.commit(0, []);
      return;
    }
    const admin = kafka.admin();
    let committed: number;
    try {
      await admin.connect();
      committed = await this.committedCheckpoint(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    for (const epoch of restored.pending) if (epoch.checkpointId > committed) await this.commit(epoch.checkpointId, epoch.records);
  }

  async processBatch(batch: Batch): Promise<void> {
    if (this.exactlyOnce) {
      for (const r of batch.records) this.buffer.push(r);
      return;
    }
    for (const messages of this.requests(batch.records)) await this.producer!.send({ topic: this.params.topic, acks: -1, messages });
  }

  /** Pre-commit: the epoch's records are sealed into the checkpoint. */
  onCheckpoint(barrier: CheckpointBarrier): KafkaSinkSnapshot | undefined {
    if (!this.exactlyOnce) return undefined;
    if (this.buffer.length) {
      this.sealed.push({ checkpointId: barrier.id, records: this.buffer });
      this.buffer = [];
    }
    return { pending: this.sealed };
  }

  /** Commit: each epoch up to the durable checkpoint, one transaction each, in order. */
  async onCheckpointComplete(checkpointId: number): Promise<void> {
    while (this.sealed.length && this.sealed[0].checkpointId <= checkpointId) {
      await this.commit(this.sealed[0].checkpointId, this.sealed[0].records);
      this.sealed.shift();
    }
  }

  async close(): Promise<void> {
    try {
      // A job without checkpoint storage (eddy run) commits what it has at the end; with
      // checkpoints, the final checkpoint has committed it, and after a failure it is replayed.
      if (this.exactlyOnce && this.producer && !this.ctx.checkpointed) {
        const rest = [...this.sealed.flatMap((e) => e.records), ...this.buffer];
        if (rest.length) await this.commit(null, rest);
      }
    } finally {
      this.sealed = [];
      this.buffer = [];
      await this.producer?.disconnect().catch(() => undefined);
      this.producer = null;
    }
  }

  /** One transaction: the records and (unless null) the checkpoint id as the marker. */
  private async commit(checkpointId: number | null, records: Rec[]): Promise<void> {
    const { topic } = this.params;
    const tx = await this.producer!.transaction();
    try {
      for (const messages of this.requests(records)) await tx.send({ topic, acks: -1, messages });
      if (checkpointId !== null) {
        await tx.sendOffsets({ consumerGroupId: this.markerGroup, topics: [{ topic, partitions: [{ partition: 0, offset: String(checkpointId) }] }] });
      }
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      throw new Error(`sink.kafka '${this.ctx.node.id}': the transaction of checkpoint ${checkpointId ?? '(end)'} failed: ${(err as Error).message}`);
    }
  }

  /** The checkpoint id of the last committed transaction (0 when none). */
  private async committedCheckpoint(admin: Admin): Promise<number> {
    const [entry] = await admin.fetchOffsets({ groupId: this.markerGroup, topics: [this.params.topic] });
    const offset = Number(entry?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    return offset > 0 ? offset : 0;
  }

  /** The records as messages, split into requests of bounded size. */
  private *requests(records: Rec[]): Generator<Message[]> {
    const { key } = this.params;
    let messages: Message[] = [];
    let bytes = 0;
    for (const r of records) {
      const value = JSON.stringify(r);
      messages.push({ key: key && r[key] !== null && r[key] !== undefined ? String(r[key]) : null, value });
      bytes += value.length;
      if (bytes >= REQUEST_BYTES) {
        yield messages;
        messages = [];
        bytes = 0;
      }
    }
    if (messages.length) yield messages;
  }
}
