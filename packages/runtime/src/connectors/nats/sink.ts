import type { JetStreamClient, NatsConnection } from 'nats';
import type { ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { resolveSecret } from '../../core/secrets.js';
import { recordTemplate } from '../common/template.js';
import { natsLibrary } from './library.js';

const encoder = new TextEncoder();
/** JetStream publishes in flight at once per batch: acknowledgements overlap, memory stays bounded. */
const IN_FLIGHT = 256;

/** A subject of a template; a value is one token (no spaces, dots or wildcards). */
export const subjectTemplate = (template: string) => recordTemplate(template, (v) => v.replace(/[\s.*>]+/g, '_'));

/**
 * Publishes records as JSON messages. With JetStream each batch waits for the stream's
 * acknowledgements (at-least-once; a slow stream slows the pipeline); core NATS publishes
 * are flushed once per batch.
 */
export class NatsSinkOperator implements Operator {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private readonly subjectOf: (r: Rec) => string;

  constructor(private readonly params: ParamsOf<'sink.nats'>, private readonly ctx: OperatorContext) {
    this.subjectOf = subjectTemplate(params.subject);
  }

  async open(): Promise<void> {
    const url = resolveSecret(this.params.url, 'url');
    const { connect } = await natsLibrary();
    try {
      this.nc = await connect({ servers: url, name: `eddy:${this.ctx.node.id}`, maxReconnectAttempts: 10 });
    } catch (err) {
      throw new Error(`sink.nats '${this.ctx.node.id}': cannot connect to ${url}: ${(err as Error).message}`);
    }
    if (this.params.jetstream) this.js = this.nc.jetstream();
  }

  async processBatch(batch: Batch): Promise<void> {
    const { records } = batch;
    if (!this.js) {
      for (const r of records) this.nc!.publish(this.subjectOf(r), encoder.encode(JSON.stringify(r)));
      await this.nc!.flush();
      return;
    }
    for (let i = 0; i < records.length; i += IN_FLIGHT) {
      const slice = records.slice(i, i + IN_FLIGHT);
      const results = await Promise.allSettled(slice.map((r) => this.js!.publish(this.subjectOf(r), encoder.encode(JSON.stringify(r)))));
      results.forEach((res, j) => {
        // No stream takes the subject (or the stream refused it): the record leaves with the reason.
        if (res.status === 'rejected') this.ctx.deadLetter(slice[j], `sink.nats: ${(res.reason as Error).message} (subject ${this.subjectOf(slice[j])})`);
      });
    }
  }

  async close(): Promise<void> {
    await this.nc?.drain().catch(() => undefined);
    this.nc = null;
  }
}
