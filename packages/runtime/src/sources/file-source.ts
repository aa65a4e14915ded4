import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ParamsOf } from '@eddy/shared';
import type { Rec } from '../core/batch.js';
import { noInput, sourceEventTime, type SourceOperator, type SourceOutput } from '../core/operator.js';
import { isPromise, sleep, yieldToEventLoop } from '../core/async.js';
import { CsvParser } from './csv.js';

const CHUNK_BYTES = 64 * 1024;

/** Reads JSON lines or CSV; the byte offset of the next unread line is its checkpoint offset. */
export class FileSource implements SourceOperator {
  readonly isSource = true;
  readonly bounded = true;
  readonly eventTime: SourceOperator['eventTime'];
  /** Byte offset just past the last line handed on. */
  offset = 0;

  constructor(private readonly params: ParamsOf<'source.file'>, private readonly baseDir: string) {
    this.eventTime = sourceEventTime(params.eventTime);
  }

  readonly processBatch = noInput;

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const path = resolve(this.baseDir, this.params.path);
    const parse = this.lineParser(out);
    // Resuming a CSV past its header: read the header line first.
    if (this.offset > 0 && this.params.format === 'csv') parse(await readFirstLine(path), 0);
    const stream = createReadStream(path, { start: this.offset, highWaterMark: CHUNK_BYTES });
    const rate = this.params.ratePerSec;
    const startedAt = performance.now();
    let emitted = 0;
    let carry: Buffer = Buffer.alloc(0);
    let lineNo = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (signal.aborted) break;
        const buf: Buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const last = buf.lastIndexOf(10);
        if (last < 0) { carry = buf; continue; }
        carry = buf.subarray(last + 1);
        const base = this.offset;
        if (rate <= 0) {
          const records: Rec[] = [];
          for (const line of buf.toString('utf8', 0, last).split('\n')) {
            const r = parse(line, ++lineNo);
            if (r) records.push(r);
          }
          this.offset = base + last + 1;
          const pushed = out.push(records);
          if (isPromise(pushed)) await pushed;
        } else {
          // Paced: records leave a few at a time, each part with the offset just past its last line.
          const records: Rec[] = [];
          const ends: number[] = [];
          for (let pos = 0; pos <= last;) {
            const nl = buf.indexOf(10, pos);
            const r = parse(buf.toString('utf8', pos, nl), ++lineNo);
            if (r) { records.push(r); ends.push(base + nl + 1); }
            pos = nl + 1;
          }
          let i = 0;
          while (i < records.length) {
            const due = Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1 - emitted;
            if (due <= 0) { await sleep(Math.max(1, 1000 / rate), signal); if (signal.aborted) return; continue; }
            const n = Math.min(records.length - i, due);
            this.offset = i + n === records.length ? base + last + 1 : ends[i + n - 1];
            emitted += n;
            const pushed = out.push(records.slice(i, i + n));
            i += n;
            if (isPromise(pushed)) await pushed;
          }
          this.offset = base + last + 1;
        }
        await yieldToEventLoop();
      }
      if (!signal.aborted && carry.length) {
        const r = parse(carry.toString('utf8'), lineNo + 1);
        this.offset += carry.length;
        if (r) {
          const pushed = out.push([r]);
          if (isPromise(pushed)) await pushed;
        }
      }
    } finally {
      stream.destroy();
    }
  }

  checkpointPosition(): unknown {
    return this.offset;
  }

  restorePosition(position: unknown): void {
    if (typeof position === 'number' && Number.isInteger(position) && position >= 0) this.offset = position;
  }

  private lineParser(out: SourceOutput): (line: string, lineNo: number) => Rec | null {
    if (this.params.format === 'csv') {
      const csv = new CsvParser(this.params.delimiter, this.params.fields);
      return (line, lineNo) => {
        try {
          return csv.parse(line);
        } catch (err) {
          out.deadLetter({ line: lineNo, text: line }, `csv: ${(err as Error).message}`);
          return null;
        }
      };
    }
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
}

async function readFirstLine(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(CHUNK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(10);
    const line = buf.toString('utf8', 0, nl < 0 ? bytesRead : nl);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  } finally {
    await fh.close();
  }
}
