import type { NatsConnection } from 'nats';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { sourceEventTime, type SourceConnector, type SourceEventTime, type SourceOutput } from '../../core/source.js';
import { isPromise, sleep } from '../../core/async.js';
import { resolveSecret } from '../../core/secrets.js';
import { parseJsonObject } from '../common/json-object.js';
import { natsLibrary } from './library.js';

/** Messages fetched per request: one push into the graph each. */
const FETCH_BATCH = 512;
/** How long a fetch waits for messages on a quiet stream before asking again (and checking for stop). */
const FETCH_WAIT_MS = 1000;

/**
 * Reads a JetStream stream through an ordered consumer (ephemeral, no acks): Eddy's
 * checkpoint keeps the stream sequence of the last record handed on, as Flink's Kafka
 * source keeps offsets in its checkpoints rather than in the broker.
 */
export class NatsSource implements SourceConnector {
  readonly eventTime: SourceEventTime | undefined;
  /** Stream sequence of the last message handed on (0: none yet). */
  sequence = 0;
  private restored = false;

  constructor(private readonly params: ParamsOf<'source.nats'>, private readonly nodeId: string) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  checkpointPosition(): unknown {
    return this.sequence;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) {
      this.sequence = position;
      this.restored = true;
    }
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const { DeliverPolicy } = await natsLibrary();
    const nc = await this.connect();
    try {
      const jsm = await nc.jetstreamManager();
      const info = await jsm.streams.info(this.params.stream).catch((err: Error) => {
        throw new Error(`source.nats '${this.nodeId}': stream '${this.params.stream}': ${err.message}`);
      });
      const endSeq = info.state.last_seq;
      // The ordered consumer resumes by sequence itself; a fresh start from the first message is sequence 1.
      const start = this.restored || this.sequence > 0 || this.params.startAt === 'first'
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.sequence + 1 }
        : { deliver_policy: DeliverPolicy.New };
      const consumer = await nc.jetstream().consumers.get(this.params.stream, {
        ...(this.params.subject && { filterSubjects: this.params.subject }), ...start,
      });
      const rate = this.params.ratePerSec;
      const batchSize = rate > 0 ? Math.max(1, Math.min(FETCH_BATCH, Math.floor(rate / 20))) : FETCH_BATCH;
      const startedAt = performance.now();
      let read = 0;
      while (!signal.aborted) {
        if (this.params.stopAtEnd && this.sequence >= endSeq) return;
        // Throttled: wait until the messages read so far are due at `rate` per second.
        if (rate > 0) {
          const due = (read / rate) * 1000 - (performance.now() - startedAt);
          if (due > 0) await sleep(due, signal);
        }
        const messages = await consumer.fetch({ max_messages: batchSize, expires: FETCH_WAIT_MS });
        const records: Rec[] = [];
        let last = this.sequence;
        let pending = -1;
        for await (const m of messages) {
          if (this.params.stopAtEnd && m.seq > endSeq) break;
          last = m.seq;
          pending = m.info.pending;
          read++;
          const record = parseJsonObject(decoder.decode(m.data));
          if (record) records.push(record);
          else out.deadLetter(m.string(), `source.nats '${this.nodeId}': message ${m.seq} on ${m.subject} is not a JSON object`);
        }
        // The sequence moves with the push: a checkpoint taken at this push holds exactly these records.
        this.sequence = last;
        if (records.length) {
          const pushed = out.push(records);
          if (isPromise(pushed)) await pushed;
        }
        // A filtered stream may end below endSeq: nothing pending (or nothing fetched) for this consumer is the end.
        if (this.params.stopAtEnd && pending <= 0) return;
      }
    } finally {
      await nc.close().catch(() => undefined);
    }
  }

  private async connect(): Promise<NatsConnection> {
    const url = resolveSecret(this.params.url, 'url');
    const { connect } = await natsLibrary();
    try {
      return await connect({ servers: url, name: `eddy:${this.nodeId}`, maxReconnectAttempts: 10 });
    } catch (err) {
      throw new Error(`source.nats '${this.nodeId}': cannot connect to ${url}: ${(err as Error).message}`);
    }
  }
}

const decoder = new TextDecoder();
