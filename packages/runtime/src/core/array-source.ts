import type { Rec } from './batch.js';
import type { PiecewiseSource, SourceConnector, SourceEventTime, SourceOutput, SourcePiece } from './source.js';
import { isPromise, yieldToEventLoop } from './async.js';

/** Replays given records (tests, the harness): bounded, with the replaced source's event time. */
export class ArraySource implements SourceConnector, PiecewiseSource {
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

  /** In a parallel job, each chunk is a piece (the records cross to the subtask as they are). */
  readPieces(dispatch: (piece: SourcePiece) => void | Promise<void>, signal: AbortSignal): Promise<void> {
    return this.run({ push: (chunk) => dispatch({ work: chunk, count: chunk.length, end: this.position }), deadLetter: () => undefined }, signal);
  }

  parsePiece(work: unknown): { records: Rec[]; at: number[] } {
    const records = work as Rec[];
    return { records, at: records.map((_r, i) => i) };
  }

  checkpointPosition(): unknown {
    return this.position;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.position = position;
  }
}
