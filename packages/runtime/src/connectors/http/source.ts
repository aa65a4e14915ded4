import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { IngestError, sourceEventTime, type Ingestible, type SourceConnector, type SourceEventTime, type SourceOutput } from '../../core/source.js';
import { isPromise } from '../../core/async.js';

interface Pending { records: Rec[]; resolve(): void; reject(err: Error): void }

/**
 * Records handed in from outside (the server's ingest route). Each ingest call resolves once its
 * records are in the pipeline, so a busy pipeline slows its senders; past
 * `maxQueuedRequests` waiting calls the source refuses more (busy).
 */
export class HttpSource implements SourceConnector, Ingestible {
  readonly eventTime: SourceEventTime | undefined;
  private readonly queue: Pending[] = [];
  private wake: (() => void) | null = null;
  private running = false;

  constructor(private readonly params: ParamsOf<'source.http'>, private readonly nodeId: string) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  ingest(records: Rec[]): Promise<void> {
    if (!this.running) return Promise.reject(new IngestError('not_running', `source.http '${this.nodeId}' is not running`));
    if (this.queue.length >= this.params.maxQueuedRequests) {
      return Promise.reject(new IngestError('busy', `source.http '${this.nodeId}' has ${this.queue.length} requests waiting: retry later`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.wake?.();
    });
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    this.running = true;
    const onAbort = () => this.wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const next = this.queue.shift();
        if (!next) {
          await new Promise<void>((r) => (this.wake = r));
          this.wake = null;
          continue;
        }
        try {
          const pushed = out.push(next.records);
          if (isPromise(pushed)) await pushed;
          next.resolve();
        } catch (err) {
          next.reject(err as Error);
          throw err;
        }
      }
    } finally {
      this.running = false;
      signal.removeEventListener('abort', onAbort);
      for (const p of this.queue.splice(0)) p.reject(new IngestError('not_running', `source.http '${this.nodeId}' stopped`));
    }
  }
}
