import { mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourcePiece } from '../../core/source.js';
import { seeded } from '../../test-utils/reference.js';
import { paramsOf } from '../../test-utils/params.js';
import { JsonPieceFile, readJsonPieces, type JsonPieceWork } from './json-pieces.js';
import { FileSource } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-json-pieces-'));
const file = (name: string, text: string) => { const path = join(dir, name); writeFileSync(path, text); return path; };

async function cut(path: string, start: number, pieceBytes: number, readBytes: number): Promise<{ pieces: SourcePiece[]; last: number }> {
  const pieces: SourcePiece[] = [];
  let last = -1;
  await readJsonPieces({ path, start, pieceBytes, readBytes, signal: new AbortController().signal, dispatch: (p) => { pieces.push(p); }, cut: (end) => { last = end; } });
  return { pieces, last };
}

/** The rule from one reader's view: the file's lines from `start` (the last one may lack its line end), each piece's text read back. */
async function expectCutsLikeOneReader(text: string, start: number, pieceBytes: number, readBytes: number) {
  const path = file('f.jsonl', text);
  const { pieces, last } = await cut(path, start, pieceBytes, readBytes);
  const rest = Buffer.from(text).subarray(start).toString('utf8');
  const expected = rest === '' ? [] : (rest.endsWith('\n') ? rest.slice(0, -1) : rest).split('\n');
  const reader = new JsonPieceFile(() => path);
  const got: string[] = [];
  let at = start;
  let line0 = 0;
  for (const p of pieces) {
    const w = p.work as JsonPieceWork;
    expect(w.from).toBe(at); // contiguous, in order, from the start offset
    expect(w.line0).toBe(line0);
    expect(p.count).toBe(w.lines);
    expect(p.end).toBe(w.to);
    const lines = reader.text(w).split('\n');
    expect(lines.length).toBe(w.lines);
    got.push(...lines);
    // Every piece but the last ends at a line end, at least pieceBytes after its start.
    if (w.to < Buffer.byteLength(text)) {
      expect(Buffer.from(text)[w.to - 1]).toBe(10);
      expect(w.to - w.from).toBeGreaterThanOrEqual(pieceBytes);
    }
    at = w.to;
    line0 += w.lines;
  }
  reader.close();
  expect(got).toEqual(expected);
  expect(at).toBe(Math.max(start, Buffer.byteLength(text)));
  if (pieces.length) expect(last).toBe(at);
}

describe('JSON-lines files cut into byte ranges (parallelism > 1)', () => {
  it('pieces cover the file from the start offset in whole lines, with their line numbers', async () => {
    const text = '{"a":1}\n{"a":2}\n\n{"a":"é😀"}\r\n{"a":4}\n{"long":"' + 'x'.repeat(100) + '"}\n{"a":5}';
    for (const [pieceBytes, readBytes] of [[1, 7], [10, 16], [16, 10], [64 * 1024, 1024 * 1024]]) {
      await expectCutsLikeOneReader(text, 0, pieceBytes, readBytes);
      await expectCutsLikeOneReader(text + '\n', 0, pieceBytes, readBytes);
      await expectCutsLikeOneReader(text, 8, pieceBytes, readBytes); // restored at the second line
    }
    await expectCutsLikeOneReader('', 0, 10, 16);
  });

  it('seeded random files, piece and read sizes: the lines one reader reads', async () => {
    const rnd = seeded(15);
    for (let run = 0; run < 40; run++) {
      const lines = Array.from({ length: Math.floor(rnd() * 30) }, () => JSON.stringify({ v: 'y'.repeat(Math.floor(rnd() * 40)) }));
      const text = lines.join(rnd() < 0.5 ? '\n' : '\r\n') + (rnd() < 0.5 ? '\n' : '');
      await expectCutsLikeOneReader(text, 0, 1 + Math.floor(rnd() * 80), 1 + Math.floor(rnd() * 120));
    }
  });

  it('a file shortened or rewritten after it was cut is an error, never records nobody counted', async () => {
    const path = file('g.jsonl', '{"a":1}\n{"a":2}\n{"a":3}\n');
    const { pieces } = await cut(path, 0, 1, 1024);
    truncateSync(path, statSync(path).size - 10);
    const reader = new JsonPieceFile(() => path);
    expect(() => reader.text(pieces[2].work as JsonPieceWork)).toThrow(/changed while it was read/);
    reader.close();

    const name = 'h.jsonl';
    file(name, '{"a":1}\n{"a":2}\n');
    const src = new FileSource(paramsOf('source.file', { path: name }), dir);
    const all: SourcePiece[] = [];
    await src.readPieces((p) => { all.push(p); }, new AbortController().signal);
    file(name, '{}\n{}\n{}\n{}\n{}\n\n'); // the same 16 bytes, six lines
    expect(() => src.parsePiece(all[0].work, () => undefined)).toThrow(/changed while it was read/);
    src.releasePieces();
  });
});
