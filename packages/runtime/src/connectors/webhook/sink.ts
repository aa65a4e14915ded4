import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Batch, Rec } from '../../core/batch.js';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { sleep } from '../../core/async.js';
import { resolveSecret } from '../../core/secrets.js';

/** POSTs records as JSON arrays and awaits each answer, so a slow endpoint slows the sources. */
export class WebhookSinkOperator implements Operator {
  private url = '';
  private readonly timeoutMs: number;

  constructor(private readonly params: ParamsOf<'sink.webhook'>, private readonly ctx: OperatorContext) {
    this.timeoutMs = parseDuration(params.timeout);
  }

  open(): void {
    this.url = resolveSecret(this.params.url, 'url');
  }

  async processBatch(batch: Batch): Promise<void> {
    const { batchSize } = this.params;
    for (let i = 0; i < batch.records.length; i += batchSize) await this.send(batch.records.slice(i, i + batchSize));
  }

  private async send(records: Rec[]): Promise<void> {
    let reason = '';
    for (let attempt = 0; attempt <= this.params.retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(5000, 100 * 2 ** (attempt - 1)));
      try {
        const res = await fetch(this.url, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(records),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        await res.arrayBuffer();
        if (res.ok) return;
        reason = `HTTP ${res.status}`;
        if (res.status >= 400 && res.status < 500 && res.status !== 429) break; // the endpoint refuses these records
      } catch (err) {
        reason = (err as Error).message;
      }
    }
    for (const r of records) this.ctx.deadLetter(r, `sink.webhook: ${reason} from ${this.url}`);
  }
}
