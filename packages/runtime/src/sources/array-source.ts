import type { Rec } from '../core/batch.js';
import type { SourceOperator, SourceOutput } from '../core/operator.js';
import { isPromise, yieldToEventLoop } from '../core/async.js';

/** Replays given records (tests, the harness): bounded, with the replaced source's event time. */
export class ArraySource implements SourceOperator {
  readonly isSource = true;
  readonly bounded = true;
  position = 0;

  constructor(
    private readonly records: Rec[],
    readonly eventTime: SourceOperator['eventTime'],
    private readonly chunkSize = 1,
  ) {}

  processBatch(): never {
    throw new Error('A source has no input');
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    let sinceYield = 0;
    while (this.position < this.records.length && !signal.aborted) {
      const chunk = this.records.slice(this.position, this.position + this.chunkSize);
      this.position += chunk.length;
      const pushed = out.push(chunk);
      if (isPromise(pushed)) await pushed;
      if ((sinceYield += chunk.length) >= 4096) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
  }

  checkpointPosition(): unknown {
    return this.position;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.position = position;
  }
}
