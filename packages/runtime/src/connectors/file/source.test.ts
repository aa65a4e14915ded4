import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Rec } from '../../core/batch.js';
import { paramsOf } from '../../test-utils/params.js';
import { FileSource } from './source.js';

const dir = mkdtempSync(join(tmpdir(), 'eddy-file-source-'));

interface Read { records: Rec[]; offsets: number[]; dead: [unknown, string][] }

/** Reads the file from `offset` to its end; `offsets[i]` is the checkpoint position once record i was pushed. */
async function read(params: Record<string, unknown>, offset = 0): Promise<Read> {
  const src = new FileSource(paramsOf('source.file', params), dir);
  src.restorePosition(offset);
  const got: Read = { records: [], offsets: [], dead: [] };
  await src.run({
    push: (records) => { for (const r of records) { got.records.push(r); got.offsets.push(src.checkpointPosition() as number); } },
    deadLetter: (raw, reason) => { got.dead.push([raw, reason]); },
  }, new AbortController().signal);
  return got;
}

const file = (name: string, text: string) => { writeFileSync(join(dir, name), text); return name; };

// Cells with commas, doubled quotes, LF and CRLF inside quotes, multi-byte text; the last record has no line end.
const PIECES = ['id,name,amount\r\n', '1,"Smith, J.",10\r\n', '2,"say ""hi""",\n', '3,"two\nlines",2.5\n', '4,"é😀\r\nx",-1\n', '5,plain,7'];
const CSV = PIECES.join('');
/** The byte offset just past record i (the header is piece 0). */
const endOf = (i: number) => Buffer.byteLength(PIECES.slice(0, i + 2).join(''));
const RECORDS = [
  { id: '1', name: 'Smith, J.', amount: 10 },
  { id: '2', name: 'say "hi"', amount: null },
  { id: '3', name: 'two\nlines', amount: 2.5 },
  { id: '4', name: 'é😀\r\nx', amount: -1 },
  { id: '5', name: 'plain', amount: 7 },
];
const fields = [{ name: 'id', type: 'string' }, { name: 'name', type: 'string' }, { name: 'amount', type: 'number' }];

describe('file source, CSV', () => {
  const path = file('multi.csv', CSV);

  for (const ratePerSec of [0, 10_000]) {
    it(`reads RFC 4180 records with declared types (ratePerSec ${ratePerSec})`, async () => {
      const r = await read({ path, format: 'csv', fields, ratePerSec });
      expect(r.records).toEqual(RECORDS);
      expect(r.dead).toEqual([]);
      // Every offset reported is just past a record, and the last is the end of the file.
      const boundaries = RECORDS.map((_r, i) => endOf(i));
      for (const o of r.offsets) expect(boundaries).toContain(o);
      expect(r.offsets.at(-1)).toBe(Buffer.byteLength(CSV));
    });

    it(`resumed at a checkpoint offset, yields exactly the remaining records (ratePerSec ${ratePerSec})`, async () => {
      for (let i = 0; i < RECORDS.length; i++) {
        const rest = await read({ path, format: 'csv', fields, ratePerSec }, endOf(i));
        expect(rest.records, `after record ${i + 1}`).toEqual(RECORDS.slice(i + 1));
        expect(rest.dead).toEqual([]);
      }
    });
  }

  it('a cell that is not a number, or a record of the wrong width, is a dead letter with the reason', async () => {
    const r = await read({ path: file('bad.csv', 'id,amount\na,1\nb,cheap\nc\nd,"2"\n'), format: 'csv', fields: [{ name: 'amount', type: 'number' }] });
    expect(r.records).toEqual([{ id: 'a', amount: 1 }, { id: 'd', amount: 2 }]);
    expect(r.dead.map(([, reason]) => reason)).toEqual([
      expect.stringMatching(/field 'amount' is not a number: "cheap"/),
      expect.stringMatching(/expected 2 cells, got 1/),
    ]);
  });

  it('JSON lines: resumed at a checkpoint offset, yields the remaining records', async () => {
    const text = '{"i":1}\n{"i":"é"}\n\n{"i":3}';
    const path = file('a.jsonl', text);
    const all = await read({ path });
    expect(all.records).toEqual([{ i: 1 }, { i: 'é' }, { i: 3 }]);
    expect(all.offsets.at(-1)).toBe(Buffer.byteLength(text));
    expect((await read({ path }, Buffer.byteLength('{"i":1}\n'))).records).toEqual([{ i: 'é' }, { i: 3 }]);
    expect((await read({ path }, Buffer.byteLength('{"i":1}\n{"i":"é"}\n'))).records).toEqual([{ i: 3 }]);
  });
});
