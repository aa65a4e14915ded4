import type { Consumer, KafkaMessage } from 'kafkajs';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import type { CheckpointBarrier } from '../../core/operator.js';
import { sourceEventTime, type PiecewiseSource, type SourceConnector, type SourceEventTime, type SourceOutput, type SourcePiece } from '../../core/source.js';
import { isPromise, sleep } from '../../core/async.js';
import { parseJsonObject } from '../common/json-object.js';
import { kafkaClient } from './client.js';
import { kafkaPieces, notJsonObject, parseKafkaPiece, type KafkaPieceWork } from './pieces.js';

/**
 * Reads every partition of a topic, each a split with its own watermark. The offset of the
 * last record handed on per partition is the checkpoint offset: Eddy's checkpoint alone says
 * where a restore resumes (as Flink's KafkaSource). Without `group` the consumer group is this
 * run's own and commits nothing; with one, a start without a checkpoint begins at the group's
 * committed offsets, and each completed checkpoint's offsets are committed to it. Read in pieces
 * (parallelism > 1, catalog `splittable`), the subtasks parse the messages' JSON.
 */
export class KafkaSource implements SourceConnector, PiecewiseSource {
  readonly eventTime: SourceEventTime | undefined;
  /** Partition → offset of the last record handed on. */
  offsets: Record<string, string> = {};
  /** Read in pieces: the offsets of the pieces delivered into the graph (the reader is ahead of them). */
  private delivered: Record<string, string> | null = null;
  /** Offsets at each checkpoint barrier, committed to the group when that checkpoint completes. */
  private readonly atBarrier = new Map<number, Record<string, string>>();
  private consumer: Consumer | null = null;

  constructor(private readonly params: ParamsOf<'source.kafka'>, private readonly nodeId: string) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  checkpointPosition(): unknown {
    return { ...this.offsets };
  }

  restorePosition(position: unknown): void {
    if (position && typeof position === 'object') {
      this.offsets = Object.fromEntries(Object.entries(position as Record<string, unknown>).filter(([, v]) => typeof v === 'string' && /^\d+$/.test(v))) as Record<string, string>;
    }
  }

  onCheckpoint(barrier: CheckpointBarrier): undefined {
    if (this.params.group) this.atBarrier.set(barrier.id, { ...(this.delivered ?? this.offsets) });
    return undefined;
  }

  async onCheckpointComplete(checkpointId: number): Promise<void> {
    const { group, topic } = this.params;
    let offsets: Record<string, string> | undefined;
    for (const [id, o] of this.atBarrier) {
      if (id > checkpointId) break;
      offsets = o;
      this.atBarrier.delete(id);
    }
    if (!group || !offsets || !Object.keys(offsets).length) return;
    // The committed offset is the next one to read.
    const partitions = Object.entries(offsets).map(([partition, o]) => ({ partition: Number(partition), offset: (BigInt(o) + 1n).toString() }));
    if (this.consumer) {
      await this.consumer.commitOffsets(partitions.map((p) => ({ topic, ...p })));
      return;
    }
    const admin = (await kafkaClient(this.params.brokers, this.nodeId)).admin();
    try {
      await admin.connect();
      await admin.setOffsets({ groupId: group, topic, partitions });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const rate = this.params.ratePerSec;
    const startedAt = performance.now();
    let read = 0;
    await this.consume(signal, (ids) => out.splits?.(ids), async (partition, messages, heartbeat) => {
      // Throttled (ratePerSec): small chunks, each pushed when it is due.
      const chunk = rate > 0 ? Math.max(1, Math.floor(rate / 20)) : messages.length;
      for (let i = 0; i < messages.length && !signal.aborted; i += chunk) {
        if (rate > 0) {
          const due = (read / rate) * 1000 - (performance.now() - startedAt);
          if (due > 0) await sleep(due, signal);
          await heartbeat(); // a slow read stays in its group
        }
        const records: Rec[] = [];
        const part = messages.slice(i, i + chunk);
        for (const m of part) {
          const r = m.value ? parseJsonObject(m.value.toString('utf8')) : null;
          if (r) records.push(r);
          else out.deadLetter(m.value?.toString('utf8') ?? null, notJsonObject(this.nodeId, m.offset, partition));
        }
        read += part.length;
        // The offset moves with the push: a checkpoint taken at this push holds exactly these records.
        this.offsets[partition] = part[part.length - 1].offset;
        const pushed = records.length ? out.push(records, undefined, String(partition)) : undefined;
        if (isPromise(pushed)) await pushed;
      }
    });
  }

  /**
   * Read in pieces (parallelism > 1): each batch of a partition is cut into pieces the subtasks
   * parse; a piece's end is every partition's offset after it, so a checkpoint after delivered
   * pieces holds exactly what they delivered.
   */
  async readPieces(dispatch: (piece: SourcePiece) => void | Promise<void>, signal: AbortSignal, splits?: (ids: string[]) => void): Promise<void> {
    this.delivered = { ...this.offsets };
    await this.consume(signal, (ids) => splits?.(ids), async (partition, messages) => {
      for (const piece of kafkaPieces(partition, messages)) {
        if (signal.aborted) return;
        this.offsets[partition] = piece.last;
        const sent = dispatch({ work: piece.work, count: piece.count, end: { ...this.offsets }, split: String(partition) });
        if (sent) await sent;
      }
    });
  }

  parsePiece(work: unknown, deadLetter: (raw: unknown, reason: string) => void): { records: Rec[]; at: number[] } {
    return parseKafkaPiece(work as KafkaPieceWork, this.nodeId, deadLetter);
  }

  piecesDelivered(end: unknown): void {
    this.delivered = end as Record<string, string>;
  }

  /** Consumes every partition from its start offset (stopAtEnd: to the end offsets present now), a batch at a time. */
  private async consume(signal: AbortSignal, declare: (partitions: string[]) => void, take: TakeBatch): Promise<void> {
    const { topic, startAt, stopAtEnd } = this.params;
    const kafka = await kafkaClient(this.params.brokers, this.nodeId);
    const admin = kafka.admin();
    let partitions: { partition: number; low: bigint; high: bigint }[];
    try {
      await admin.connect();
      partitions = (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
      // Without a checkpoint, a group's committed offsets say where to start.
      if (this.params.group && !Object.keys(this.offsets).length) {
        const [committed] = await admin.fetchOffsets({ groupId: this.params.group, topics: [topic] });
        for (const p of committed?.partitions ?? []) if (BigInt(p.offset) > 0n) this.offsets[p.partition] = (BigInt(p.offset) - 1n).toString();
      }
    } catch (err) {
      throw new Error(`source.kafka '${this.nodeId}': topic '${topic}': ${(err as Error).message}`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    // Where each partition starts: after the checkpointed offset, else the earliest or latest.
    const start = new Map(partitions.map((p) => {
      const saved = this.offsets[p.partition];
      return [p.partition, saved !== undefined ? BigInt(saved) + 1n : startAt === 'earliest' ? p.low : p.high];
    }));
    const end = new Map(partitions.map((p) => [p.partition, p.high]));
    const atEnd = () => partitions.every((p) => (this.offsets[p.partition] !== undefined ? BigInt(this.offsets[p.partition]) + 1n : start.get(p.partition)!) >= end.get(p.partition)!);
    if (stopAtEnd && atEnd()) return;

    declare(partitions.map((p) => String(p.partition)));
    const consumer: Consumer = kafka.consumer({ groupId: this.params.group ?? `eddy-${this.nodeId}-${Date.now().toString(36)}` });
    this.consumer = consumer;
    let finish!: () => void;
    let fail!: (err: Error) => void;
    const finished = new Promise<void>((resolve, reject) => { finish = resolve; fail = reject; });
    const onAbort = () => finish();
    signal.addEventListener('abort', onAbort);
    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: startAt === 'earliest' });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          const stopAt = stopAtEnd ? end.get(batch.partition)! : null;
          const messages = stopAt === null ? batch.messages : batch.messages.filter((m) => BigInt(m.offset) < stopAt);
          try {
            if (messages.length) await take(batch.partition, messages, heartbeat);
          } catch (err) {
            fail(err as Error);
            return;
          }
          if (stopAtEnd && atEnd()) finish();
        },
      });
      for (const [partition, offset] of start) consumer.seek({ topic, partition, offset: offset.toString() });
      await finished;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.consumer = null;
      await consumer.disconnect().catch(() => undefined);
    }
  }
}

/** Hands on one partition's messages (in offset order), awaiting the graph. */
type TakeBatch = (partition: number, messages: KafkaMessage[], heartbeat: () => Promise<void>) => Promise<void>;
