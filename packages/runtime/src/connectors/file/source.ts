import { createReadStream } from 'node:fs';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { sourceEventTime, type SourceConnector, type SourceEventTime, type SourceOutput } from '../../core/source.js';
import { isPromise, sleep, yieldToEventLoop } from '../../core/async.js';
import { readCsvFile } from './csv.js';
import { requireAllowedFile } from '../../io/allowed-roots.js';

const CHUNK_BYTES = 64 * 1024;

/** Reads JSON lines or CSV; the byte offset of the next unread record is its checkpoint offset. */
export class FileSource implements SourceConnector {
  readonly eventTime: SourceEventTime | undefined;
  /** Byte offset just past the last record handed on. */
  offset = 0;

  constructor(private readonly params: ParamsOf<'source.file'>, private readonly baseDir: string, private readonly fileRoots: readonly string[] = []) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const path = requireAllowedFile(this.params.path, { baseDir: this.baseDir, roots: this.fileRoots });
    const rate = this.params.ratePerSec;
    const parts = this.params.format === 'csv'
      ? readCsvFile({ path, start: this.offset, delimiter: this.params.delimiter, fields: this.params.fields, deadLetter: (raw, reason) => out.deadLetter(raw, reason) })
      : readJsonLines(path, this.offset, rate > 0, out);
    const startedAt = performance.now();
    let emitted = 0;
    for await (const { records, ends, end } of parts) {
      if (signal.aborted) break;
      if (rate <= 0) {
        this.offset = end;
        if (records.length) {
          const pushed = out.push(records);
          if (isPromise(pushed)) await pushed;
        }
      } else {
        // Paced: records leave a few at a time, each part with the offset just past its last record.
        let i = 0;
        while (i < records.length) {
          const due = Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1 - emitted;
          if (due <= 0) { await sleep(Math.max(1, 1000 / rate), signal); if (signal.aborted) return; continue; }
          const n = Math.min(records.length - i, due);
          this.offset = i + n === records.length ? end : ends[i + n - 1];
          emitted += n;
          const pushed = out.push(records.slice(i, i + n));
          i += n;
          if (isPromise(pushed)) await pushed;
        }
        this.offset = end;
      }
      await yieldToEventLoop();
    }
  }

  checkpointPosition(): unknown {
    return this.offset;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.offset = position;
  }

}

interface Part { records: Rec[]; ends: number[]; end: number }

/** JSON lines from a byte offset, a chunk at a time; `withEnds`: the offset past each record too (for pacing). */
async function* readJsonLines(path: string, start: number, withEnds: boolean, out: SourceOutput): AsyncGenerator<Part> {
  const stream = createReadStream(path, { start, highWaterMark: CHUNK_BYTES });
  const parse = jsonLineParser(out);
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let offset = start;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const last = buf.lastIndexOf(10);
      if (last < 0) { carry = buf; continue; }
      carry = buf.subarray(last + 1);
      const records: Rec[] = [];
      const ends: number[] = [];
      if (!withEnds) {
        for (const line of buf.toString('utf8', 0, last).split('\n')) {
          const r = parse(line, ++lineNo);
          if (r) records.push(r);
        }
      } else {
        for (let pos = 0; pos <= last;) {
          const nl = buf.indexOf(10, pos);
          const r = parse(buf.toString('utf8', pos, nl), ++lineNo);
          if (r) { records.push(r); ends.push(offset + nl + 1); }
          pos = nl + 1;
        }
      }
      offset += last + 1;
      yield { records, ends, end: offset };
    }
    if (carry.length) {
      const r = parse(carry.toString('utf8'), lineNo + 1);
      offset += carry.length;
      yield { records: r ? [r] : [], ends: r ? [offset] : [], end: offset };
    }
  } finally {
    stream.destroy();
  }
}

function jsonLineParser(out: SourceOutput): (line: string, lineNo: number) => Rec | null {
  return (line, lineNo) => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!text.trim()) return null;
    try {
      const v: unknown = JSON.parse(text);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Rec;
      out.deadLetter({ line: lineNo, text }, 'jsonl: a line must hold a JSON object');
    } catch (err) {
      out.deadLetter({ line: lineNo, text }, `jsonl: ${(err as Error).message}`);
    }
    return null;
  };
}
