import type { MqttClient } from 'mqtt';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { sourceEventTime, type SourceConnector, type SourceEventTime, type SourceOutput } from '../../core/source.js';
import type { NodeContext } from '../../core/operator.js';
import { isPromise } from '../../core/async.js';
import { resolveSecret } from '../../core/secrets.js';
import { parseJsonObject } from '../common/json-object.js';
import { mqttLibrary } from './library.js';

/** Messages handed on per push. */
const MAX_PUSH = 1024;

interface Received { topic: string; payload: Buffer; ack: () => void }

/**
 * Subscribes in `open` (so a bad broker or topic fails the deployment) and hands messages on
 * in `run`. A QoS 1 message is acknowledged only once it is in the pipeline: while the
 * pipeline is busy, the broker's in-flight window holds the rest back (backpressure).
 */
export class MqttSource implements SourceConnector {
  readonly eventTime: SourceEventTime | undefined;
  private client: MqttClient | null = null;
  private readonly queue: Received[] = [];
  private wake: (() => void) | null = null;
  received = 0;

  private readonly nodeId: string;

  constructor(private readonly params: ParamsOf<'source.mqtt'>, private readonly ctx: NodeContext) {
    this.nodeId = ctx.node.id;
    this.eventTime = sourceEventTime(params.eventTime);
  }

  async open(): Promise<void> {
    const url = resolveSecret(this.params.url, 'url');
    const mqtt = await mqttLibrary();
    try {
      this.client = await mqtt.connectAsync(url, {
        clientId: `eddy-${this.ctx.pipelineId}-${this.nodeId}-${Math.random().toString(36).slice(2, 8)}`.slice(0, 64),
        clean: true, reconnectPeriod: 1000, connectTimeout: 5000,
      });
    } catch (err) {
      throw new Error(`source.mqtt '${this.nodeId}': cannot connect to ${url}: ${(err as Error).message}`);
    }
    this.client.handleMessage = (packet, done) => {
      this.queue.push({ topic: packet.topic, payload: packet.payload as Buffer, ack: () => done() });
      this.wake?.();
    };
    const granted = await this.client.subscribeAsync(this.params.topic, { qos: this.params.qos as 0 | 1 });
    if (granted.some((g) => g.qos === 128)) throw new Error(`source.mqtt '${this.nodeId}': the broker refused the subscription to '${this.params.topic}'`);
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const onAbort = () => this.wake?.();
    signal.addEventListener('abort', onAbort);
    const { limit, topicField } = this.params;
    try {
      while (!signal.aborted) {
        if (limit > 0 && this.received >= limit) return;
        if (this.queue.length === 0) {
          await new Promise<void>((r) => (this.wake = r));
          this.wake = null;
          continue;
        }
        const take = Math.min(this.queue.length, MAX_PUSH, limit > 0 ? limit - this.received : Infinity);
        const items = this.queue.splice(0, take);
        this.received += items.length;
        const records: Rec[] = [];
        for (const m of items) {
          const r = parseJsonObject(m.payload.toString('utf8'));
          if (!r) {
            out.deadLetter(m.payload.toString('utf8'), `source.mqtt '${this.nodeId}': a message on ${m.topic} is not a JSON object`);
            continue;
          }
          if (topicField) r[topicField] = m.topic;
          records.push(r);
        }
        if (records.length) {
          const pushed = out.push(records);
          if (isPromise(pushed)) await pushed;
        }
        for (const m of items) m.ack();
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.client?.endAsync().catch(() => undefined);
    this.client = null;
  }
}
