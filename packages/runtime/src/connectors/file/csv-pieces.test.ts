import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rec } from '../../core/batch.js';
import type { SourcePiece } from '../../core/source.js';
import { runPipeline } from '../../harness/run-pipeline.js';
import { readCsvFile } from './csv.js';
import { parseCsvPiece, readCsvPieces, type CsvPieceWork } from './csv-pieces.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-csv-pieces-'));
const FIELDS = [{ name: 'n', type: 'integer' }];

/** One reader, as the single-thread source reads (csv-parse streaming): records, dead letters, the end offset. */
async function whole(path: string, start: number) {
  const letters: string[] = [];
  const records: Rec[] = [];
  for await (const part of readCsvFile({ path, start, delimiter: ',', fields: FIELDS, deadLetter: (raw, reason) => letters.push(`${JSON.stringify(raw)} ${reason}`) })) {
    records.push(...part.records);
  }
  return { records, letters };
}

/** Cut in pieces of about `pieceBytes` (reads of `readBytes`), each parsed on its own. */
async function inPieces(path: string, start: number, pieceBytes: number, readBytes: number) {
  const letters: string[] = [];
  const records: Rec[] = [];
  const pieces: SourcePiece[] = [];
  await readCsvPieces({ path, start, delimiter: ',', pieceBytes, readBytes, dispatch: (p) => { pieces.push(p); }, signal: new AbortController().signal });
  for (const p of pieces) {
    const got = parseCsvPiece(p.work as CsvPieceWork, ',', FIELDS, (raw, reason) => letters.push(`${JSON.stringify(raw)} ${reason}`));
    expect(got.records.length).toBeLessThanOrEqual(p.count);
    records.push(...got.records);
  }
  return { records, letters, pieces };
}

// Cells that test the cutting: quoted line breaks (LF and CRLF), doubled quotes, delimiters in
// quotes, quotes mid-cell (csv-parse refuses those records), numbers and not-numbers.
const cell = fc.oneof(
  fc.constantFrom('a', 'b c', '', ' 7 ', 'x"y', 'é🦆', '12', 'lone\rcr'),
  fc.constantFrom('"q,1"', '"two\nlines"', '"crlf\r\nin"', '"say ""hi"""', '""', '"\n"', '"unterminated'),
);
const row = fc.tuple(fc.oneof({ arbitrary: fc.integer({ min: -99, max: 99 }).map(String), weight: 5 }, { arbitrary: cell, weight: 1 }),
  cell, fc.option(cell, { nil: undefined }));
const csvText = fc.record({
  bom: fc.boolean(), blankFirst: fc.boolean(), crlf: fc.boolean(),
  rows: fc.array(fc.oneof({ arbitrary: row.map((r) => r.filter((c) => c !== undefined).join(',')), weight: 9 }, { arbitrary: fc.constant(''), weight: 1 }), { maxLength: 60 }),
  lastNewline: fc.boolean(),
}).map(({ bom, blankFirst, crlf, rows, lastNewline }) => {
  const nl = crlf ? '\r\n' : '\n';
  const body = [...(blankFirst ? [''] : []), 'n,s,t', ...rows].join(nl);
  return (bom ? '\ufeff' : '') + body + (lastNewline ? nl : '');
});

describe('CSV read in pieces (parallelism > 1)', () => {
  it('gives one reader\'s records and dead letters (same lines, same reasons), any piece and read size, from 0 or a record\'s offset', async () => {
    let n = 0;
    await fc.assert(fc.asyncProperty(csvText, fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 300 }), fc.nat(), async (text, pieceBytes, readBytes, pick) => {
      const path = join(dir, `p${n++}.csv`);
      writeFileSync(path, text);
      const one = await whole(path, 0);
      const cut = await inPieces(path, 0, pieceBytes, readBytes);
      expect(cut.records).toEqual(one.records);
      expect(cut.letters.sort()).toEqual(one.letters.sort()); // the stream reports refused records as it parses ahead: order aside
      // Resuming from the end of a piece (a checkpoint's offset) reads the rest as one reader from there does.
      const restart = cut.pieces.length ? (cut.pieces[pick % cut.pieces.length].end as number) : 0;
      if (restart > 0) {
        const rest = await whole(path, restart);
        const restCut = await inPieces(path, restart, pieceBytes, readBytes);
        expect(restCut.records).toEqual(rest.records);
        expect(restCut.letters.sort()).toEqual(rest.letters.sort());
      }
    }), { numRuns: Number(process.env.RUNS ?? 150) });
  });

  it('a pipeline reads a CSV file in pieces: the rows and dead letters of parallelism 1 (native and microbatch)', async () => {
    const lines = ['user,ts,amount,note'];
    for (let i = 0; i < 6000; i++) {
      const note = i % 97 === 0 ? '"two\nlines, with ""quotes"""' : i % 89 === 0 ? 'bad"quote' : `n${i}`;
      lines.push(`u${i % 13},${i * 10 - (i % 7) * 15},${i % 53 === 0 ? 'x' : i % 100},${note}`);
    }
    writeFileSync(join(dir, 'orders.csv'), lines.join('\r\n') + '\r\n');
    const doc = (parallelism: number) => ({
      format: 'eddy/pipeline@1', name: 'csv-pieces', settings: { parallelism },
      nodes: [
        { id: 'src', kind: 'source.file', params: { path: 'orders.csv', format: 'csv', fields: [{ name: 'user', type: 'string' }, { name: 'ts', type: 'integer' }, { name: 'amount', type: 'number' }, { name: 'note', type: 'string' }],
          eventTime: { field: 'ts', maxOutOfOrderness: '50ms' } } },
        { id: 'big', kind: 'filter', params: { where: 'amount > 10' } },
        { id: 'w', kind: 'window', params: { size: '1s', keyBy: ['user'], aggregates: [{ name: 'n', fn: 'count' }, { name: 'top', fn: 'max', field: 'amount' }] } },
      ],
      edges: [{ from: 'src', to: 'big' }, { from: 'big', to: 'w' }],
    });
    const sorted = (rows: Rec[] = []) => rows.map((r) => JSON.stringify(r)).sort();
    for (const mode of ['native', 'microbatch'] as const) {
      const one = await runPipeline(doc(1), {}, { baseDir: dir, mode });
      const two = await runPipeline(doc(2), {}, { baseDir: dir, mode });
      expect(two.metrics.nodes.src.subtasks!.every((s) => s.recordsOut > 0)).toBe(true); // both subtasks parsed pieces
      expect(one.outputs.w.length).toBeGreaterThan(50);
      expect(sorted(two.outputs.w)).toEqual(sorted(one.outputs.w));
      expect(sorted(two.outputs['w.late'])).toEqual(sorted(one.outputs['w.late']));
      const letters = (r: typeof one) => r.deadLetters.map((d) => `${d.nodeId} ${JSON.stringify(d.record)} ${d.reason}`).sort();
      expect(letters(one).length).toBeGreaterThan(10);
      expect(letters(two)).toEqual(letters(one));
    }
  }, 60_000);
});
