import type { Rec } from './batch.js';
import type { SourceOperator, SourceOutput } from './operator.js';
import { isPromise, yieldToEventLoop } from './async.js';

/** Replays given records (tests, the harness): bounded, with the replaced source's event time. */
export class ArraySource implements SourceOperator {
  readonly isSource = true;
  readonly bounded = true;
  position = 0;

  constructor(
    private readonly records: Rec[],
    readonly eventTime: SourceOperator['eventTime'],
    chunkSize: number | number[] = 1,
  ) {
    this.chunks = Array.isArray(chunkSize) ? chunkSize.map((n) => Math.max(1, n)) : [Math.max(1, chunkSize)];
  }

  private readonly chunks: number[];

  processBatch(): never {
    throw new Error('A source has no input');
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    let sinceYield = 0;
    for (let c = 0; this.position < this.records.length && !signal.aborted; c++) {
      const chunk = this.records.slice(this.position, this.position + this.chunks[c % this.chunks.length]);
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
