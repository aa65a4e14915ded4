import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { yieldToEventLoop } from '../../core/async.js';
import type { SourcePiece } from '../../core/source.js';

/**
 * A piece of a JSON-lines file for a subtask: a byte range of whole lines. Only the range crosses
 * threads; the subtask reads the bytes itself (measured: the reader decoding text and posting it
 * costs its thread ~10 % of the work and the subtasks the copy). Its lines are counted by the
 * subtask that parses it: the reader reserves a source position per byte (a line takes at least
 * one), so it looks for one line end per piece instead of every one (400 000 searches per ysb run).
 */
export interface JsonPieceWork { from: number; to: number }

/**
 * Cuts a file into pieces from `start`: each ends at the first line end at least `pieceBytes` after
 * its start (the last may lack its line end). Only those line ends are looked for, each in a read of
 * `probeBytes` where it may be (more while a line goes on): the subtasks read the bytes between. The
 * probes read with readSync: a few KB from the page cache take µs, and ~900 awaited reads per
 * 60 MB cost the job's thread more than they save.
 */
export async function readJsonPieces(opts: {
  path: string; start: number; pieceBytes: number; probeBytes: number; signal: AbortSignal;
  dispatch: (piece: SourcePiece) => void | Promise<void>;
  /** The offset past the last piece cut. */
  cut: (end: number) => void;
}): Promise<void> {
  const { pieceBytes, signal, dispatch } = opts;
  const fd = openSync(opts.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(opts.probeBytes);
    let pieceStart = opts.start;
    let unawaited = 0;
    for (;;) {
      if (signal.aborted) return;
      const end = lineEndFrom(pieceStart + pieceBytes - 1);
      // No line end from there on: the rest of the file is the last piece, its last line perhaps without one.
      const to = end ?? fstatSync(fd).size;
      if (to <= pieceStart) return;
      const from = pieceStart;
      pieceStart = to;
      opts.cut(to);
      const sent = dispatch({ work: { from, to } satisfies JsonPieceWork, count: to - from, end: to });
      if (sent) await sent;
      else if (++unawaited % 64 === 0) await yieldToEventLoop(); // the probes are synchronous: let the thread's other work in
      if (end === undefined) return;
    }

    function lineEndFrom(at: number): number | undefined {
      for (;;) {
        const bytesRead = readSync(fd, buf, 0, buf.length, at);
        if (bytesRead === 0) return undefined;
        const nl = buf.indexOf(10);
        if (nl >= 0 && nl < bytesRead) return at + nl + 1;
        at += bytesRead;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A subtask's reading of the pieces of one file: one descriptor, one buffer (grown for a long
 * piece). A file shortened after a piece was cut is an error (its bytes are gone); one rewritten
 * meanwhile gives the records its bytes hold now, within the positions reserved for them (at most
 * one line per byte), as one reader reading it then would.
 */
export class JsonPieceFile {
  private fd: number | null = null;
  private buf = Buffer.allocUnsafe(0);

  constructor(private readonly path: () => string) {}

  /** The piece's text without its last line end. */
  text(work: JsonPieceWork): string {
    const size = work.to - work.from;
    if (this.buf.length < size) this.buf = Buffer.allocUnsafe(Math.max(size, 128 * 1024));
    this.fd ??= openSync(this.path(), 'r');
    let got = 0;
    while (got < size) {
      const n = readSync(this.fd, this.buf, got, size - got, work.from + got);
      if (n === 0) break;
      got += n;
    }
    if (got < size) throw new Error(`${this.path()} changed while it was read: bytes ${work.from}–${work.to} are gone`);
    return this.buf.toString('utf8', 0, this.buf[size - 1] === 10 ? size - 1 : size);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
