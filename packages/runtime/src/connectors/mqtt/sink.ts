import type { MqttClient } from 'mqtt';
import type { ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { resolveSecret } from '../../core/secrets.js';
import { recordTemplate } from '../common/template.js';
import { mqttLibrary } from './library.js';

/** Publishes in flight at once per batch. */
const IN_FLIGHT = 256;

/** Publishes records as JSON; at QoS 1 each batch waits for the broker's acknowledgements. */
export class MqttSinkOperator implements Operator {
  private client: MqttClient | null = null;
  private readonly topicOf: (r: Rec) => string;

  constructor(private readonly params: ParamsOf<'sink.mqtt'>, private readonly ctx: OperatorContext) {
    // A value is one topic level: no separators or wildcards.
    this.topicOf = recordTemplate(params.topic, (v) => v.replace(/[/#+]+/g, '_'));
  }

  async open(): Promise<void> {
    const url = resolveSecret(this.params.url, 'url');
    const mqtt = await mqttLibrary();
    try {
      this.client = await mqtt.connectAsync(url, { clean: true, reconnectPeriod: 1000, connectTimeout: 5000 });
    } catch (err) {
      throw new Error(`sink.mqtt '${this.ctx.node.id}': cannot connect to ${url}: ${(err as Error).message}`);
    }
  }

  async processBatch(batch: Batch): Promise<void> {
    const { qos, retain } = this.params;
    const { records } = batch;
    for (let i = 0; i < records.length; i += IN_FLIGHT) {
      await Promise.all(records.slice(i, i + IN_FLIGHT).map((r) => this.client!.publishAsync(this.topicOf(r), JSON.stringify(r), { qos: qos as 0 | 1, retain })));
    }
  }

  async close(): Promise<void> {
    await this.client?.endAsync().catch(() => undefined);
    this.client = null;
  }
}
