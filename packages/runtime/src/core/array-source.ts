import type { Rec } from './batch.js';
import type { SourceConnector, SourceEventTime, SourceOutput } from './source.js';
import { isPromise, yieldToEventLoop } from './async.js';

/** Replays given records (tests, the harness): bounded, with the replaced source's event time. */
export class ArraySource implements SourceConnector {
  position = 0;

  constructor(
    private readonly records: Rec[],
    readonly eventTime: SourceEventTime | undefined,
    chunkSize: number | number[] = 1,
  ) {
    this.chunks = Array.isArray(chunkSize) ? chunkSize.map((n) => Math.max(1, n)) : [Math.max(1, chunkSize)];
  }

  private readonly chunks: number[];

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
