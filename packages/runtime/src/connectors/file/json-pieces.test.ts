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

async function cut(path: string, start: number, pieceBytes: number, probeBytes: number): Promise<{ pieces: SourcePiece[]; last: number }> {
  const pieces: SourcePiece[] = [];
  let last = -1;
  await readJsonPieces({ path, start, pieceBytes, probeBytes, signal: new AbortController().signal, dispatch: (p) => { pieces.push(p); }, cut: (end) => { last = end; } });
  return { pieces, last };
}

/** The rule from one reader's view: the file's lines from `start` (the last one may lack its line end), each piece's text read back. */
async function expectCutsLikeOneReader(text: string, start: number, pieceBytes: number, probeBytes: number) {
  const path = file('f.jsonl', text);
  const { pieces, last } = await cut(path, start, pieceBytes, probeBytes);
  const rest = Buffer.from(text).subarray(start).toString('utf8');
  const expected = rest === '' ? [] : (rest.endsWith('\n') ? rest.slice(0, -1) : rest).split('\n');
  const reader = new JsonPieceFile(() => path);
  const got: string[] = [];
  let at = start;
  for (const p of pieces) {
    const w = p.work as JsonPieceWork;
    expect(w.from).toBe(at); // contiguous, in order, from the start offset
    expect(p.count).toBe(w.to - w.from); // a source position per byte: at least one per line
    expect(p.end).toBe(w.to);
    const lines = reader.text(w).split('\n');
    expect(lines.length).toBeLessThanOrEqual(p.count);
    got.push(...lines);
    // Every piece but the last ends at a line end, at least pieceBytes after its start.
    if (w.to < Buffer.byteLength(text)) {
      expect(Buffer.from(text)[w.to - 1]).toBe(10);
      expect(w.to - w.from).toBeGreaterThanOrEqual(pieceBytes);
    }
    at = w.to;
  }
  reader.close();
  expect(got).toEqual(expected);
  expect(at).toBe(Math.max(start, Buffer.byteLength(text)));
  if (pieces.length) expect(last).toBe(at);
}

describe('JSON-lines files cut into byte ranges (parallelism > 1)', () => {
  it('pieces cover the file from the start offset in whole lines', async () => {
    const text = '{"a":1}\n{"a":2}\n\n{"a":"é😀"}\r\n{"a":4}\n{"long":"' + 'x'.repeat(100) + '"}\n{"a":5}';
    for (const [pieceBytes, probeBytes] of [[1, 7], [10, 16], [16, 10], [20, 1], [64 * 1024, 4096]]) {
      await expectCutsLikeOneReader(text, 0, pieceBytes, probeBytes);
      await expectCutsLikeOneReader(text + '\n', 0, pieceBytes, probeBytes);
      await expectCutsLikeOneReader(text, 8, pieceBytes, probeBytes); // restored at the second line
    }
    await expectCutsLikeOneReader('', 0, 10, 16);
  });

  it('seeded random files, piece and probe sizes: the lines one reader reads', async () => {
    const rnd = seeded(15);
    for (let run = 0; run < 40; run++) {
      const lines = Array.from({ length: Math.floor(rnd() * 30) }, () => JSON.stringify({ v: 'y'.repeat(Math.floor(rnd() * 40)) }));
      const text = lines.join(rnd() < 0.5 ? '\n' : '\r\n') + (rnd() < 0.5 ? '\n' : '');
      await expectCutsLikeOneReader(text, 0, 1 + Math.floor(rnd() * 80), 1 + Math.floor(rnd() * 120));
    }
  });

  it('a file shortened after it was cut is an error, never records nobody counted; one rewritten gives its lines within the positions reserved', async () => {
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
    expect(all.map((p) => p.count)).toEqual([16]);
    file(name, '{}\n{}\n{}\n{}\n{}\n\n'); // the same 16 bytes, six lines
    const dead: unknown[] = [];
    const parsed = src.parsePiece(all[0].work, (raw) => dead.push(raw));
    expect(parsed).toEqual({ records: [{}, {}, {}, {}, {}], at: [0, 1, 2, 3, 4], lines: 6 });
    expect(dead).toEqual([]);
    src.releasePieces();
  });

  it('names a dead letter\'s line within its piece (the subtask numbers it from the lines before, once they are parsed)', () => {
    const name = 'bad.jsonl';
    file(name, '{"a":1}\n[1]\n\n{"a":\n');
    const src = new FileSource(paramsOf('source.file', { path: name }), dir);
    const dead: [unknown, string, number | undefined][] = [];
    const parsed = src.parsePiece({ from: 8, to: Buffer.byteLength('{"a":1}\n[1]\n\n{"a":\n') } satisfies JsonPieceWork, (raw, reason, line) => dead.push([raw, reason, line]));
    expect(parsed.records).toEqual([]);
    expect(parsed.lines).toBe(3);
    expect(dead.map(([raw, , line]) => [raw, line])).toEqual([[{ line: 1, text: '[1]' }, 1], [{ line: 3, text: '{"a":' }, 3]]);
    expect(dead[0][1]).toBe('jsonl: a line must hold a JSON object');
    src.releasePieces();
  });
});
