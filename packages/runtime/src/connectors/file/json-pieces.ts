import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { SourcePiece } from '../../core/source.js';

/**
 * A piece of a JSON-lines file for a subtask: a byte range of whole lines and its first line's
 * number. Only the range crosses threads; the subtask reads the bytes itself (measured: the reader
 * decoding text and posting it costs its thread ~10 % of the work and the subtasks the copy).
 */
export interface JsonPieceWork { from: number; to: number; line0: number; lines: number }

/**
 * Cuts a file into pieces from `start`: each ends at the first line end at least `pieceBytes` after
 * its start (the last may lack its line end). Only line ends are scanned: nothing is decoded here.
 */
export async function readJsonPieces(opts: {
  path: string; start: number; pieceBytes: number; readBytes: number; signal: AbortSignal;
  dispatch: (piece: SourcePiece) => void | Promise<void>;
  /** The offset past the last piece cut. */
  cut: (end: number) => void;
}): Promise<void> {
  const { pieceBytes, signal, dispatch } = opts;
  const file = await open(opts.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(opts.readBytes);
    let pieceStart = opts.start;
    let line0 = 0;
    let lines = 0;
    let at = opts.start;
    let lastByte = 10;
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      lastByte = buf[bytesRead - 1];
      for (let nl = buf.indexOf(10, 0); nl >= 0 && nl < bytesRead; nl = buf.indexOf(10, nl + 1)) {
        lines++;
        const end = at + nl + 1;
        if (end - pieceStart < pieceBytes) continue;
        if (signal.aborted) return;
        const sent = dispatchPiece(pieceStart, end);
        if (sent) await sent;
      }
      at += bytesRead;
    }
    // The rest: lines after the last cut, the last one perhaps without its line end.
    if (at > pieceStart && !signal.aborted) {
      if (lastByte !== 10) lines++;
      const sent = dispatchPiece(pieceStart, at);
      if (sent) await sent;
    }

    function dispatchPiece(from: number, to: number) {
      const work: JsonPieceWork = { from, to, line0, lines };
      line0 += lines;
      lines = 0;
      pieceStart = to;
      opts.cut(to);
      return dispatch({ work, count: work.lines, end: to });
    }
  } finally {
    await file.close();
  }
}

/**
 * A subtask's reading of the pieces of one file: one descriptor, one buffer (grown for a long
 * piece). A piece must read back as cut: a file shortened or rewritten meanwhile is an error,
 * never records the reader did not count.
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
