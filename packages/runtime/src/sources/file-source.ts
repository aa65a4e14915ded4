import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseDuration, type ParamsOf } from '@eddy/shared';
import type { Rec } from '../core/batch.js';
import type { SourceOperator, SourceOutput } from '../core/operator.js';
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
    const et = params.eventTime;
    this.eventTime = et && {
      field: et.field,
      maxOutOfOrdernessMs: parseDuration(et.maxOutOfOrderness),
      idleTimeoutMs: et.idleTimeout ? parseDuration(et.idleTimeout) : undefined,
    };
  }

  processBatch(): never {
    throw new Error('A source has no input');
  }

  async run(out: SourceOutput, signal: AbortSignal): Promise<void> {
    const path = resolve(this.baseDir, this.params.path);
    const stream = createReadStream(path, { start: this.offset, highWaterMark: CHUNK_BYTES });
    const parse = this.lineParser(out);
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
        const lines = buf.toString('utf8', 0, last).split('\n');
        let records: Rec[] = [];
        for (const line of lines) {
          lineNo++;
          const r = parse(line, lineNo);
          if (r) records.push(r);
        }
        this.offset += last + 1;
        // Pacing: hand on at most what the rate allows by now.
        while (records.length) {
          let n = records.length;
          if (rate > 0) {
            const due = Math.floor(((performance.now() - startedAt) * rate) / 1000) + 1 - emitted;
            if (due <= 0) { await sleep(Math.max(1, 1000 / rate), signal); if (signal.aborted) return; continue; }
            n = Math.min(n, due);
          }
          const part = n === records.length ? records : records.slice(0, n);
          records = n === records.length ? [] : records.slice(n);
          emitted += part.length;
          const pushed = out.push(part);
          if (isPromise(pushed)) await pushed;
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

  onCheckpoint(): unknown {
    return { offset: this.offset };
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
