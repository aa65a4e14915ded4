import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/**
 * Calls `line` for each non-empty line of a file, read synchronously a chunk at a time: the
 * hand loop's reader. Reading the whole file and splitting it (what the peers do) keeps every
 * line alive until the end, so the garbage collector copies them all out of the young
 * generation; chunks keep only one chunk's lines alive. A chunk is cut at its last newline
 * byte, which is never inside a UTF-8 sequence; a line longer than the buffer grows it.
 */
export function forEachLine(path: string, line: (text: string) => void): void {
  const fd = openSync(path, 'r');
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let have = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, have, buf.length - have, null);
      if (n === 0) break;
      have += n;
      const last = buf.lastIndexOf(10, have - 1);
      if (last < 0) {
        if (have === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
        continue;
      }
      const text = buf.toString('utf8', 0, last);
      let pos = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', pos)) {
        if (nl > pos) line(text.slice(pos, nl));
        pos = nl + 1;
      }
      if (pos < text.length) line(text.slice(pos));
      buf.copy(buf, 0, last + 1, have);
      have -= last + 1;
    }
    if (have > 0) line(buf.toString('utf8', 0, have));
  } finally {
    closeSync(fd);
  }
}
