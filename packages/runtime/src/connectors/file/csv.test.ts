import { describe, expect, it } from 'vitest';
import { CsvRecords, parseCsvText } from './csv.js';

describe('CSV (RFC 4180)', () => {
  it('quoted cells hold delimiters, doubled quotes and line breaks; LF and CRLF end records', () => {
    const text = 'id,note\r\n1,"a,b"\r\n2,"say ""hi"""\n3,"two\nlines"\n4,"crlf\r\ninside"\n5,\n';
    expect(parseCsvText(text)).toEqual([
      { id: '1', note: 'a,b' },
      { id: '2', note: 'say "hi"' },
      { id: '3', note: 'two\nlines' },
      { id: '4', note: 'crlf\r\ninside' },
      { id: '5', note: null },
    ]);
    expect(parseCsvText('x;y\n"1;2";3\n', ';')).toEqual([{ x: '1;2', y: '3' }]);
  });

  it('declared types: number (empty = NULL, otherwise a decimal number), boolean true/false, string as-is', () => {
    const p = new CsvRecords(['id', 'price', 'ok', 'note'], [
      { name: 'id', type: 'string' }, { name: 'price', type: 'number' }, { name: 'ok', type: 'boolean' },
    ]);
    expect(p.toRecord(['007', '9.5', 'true', ' x '])).toEqual({ id: '007', price: 9.5, ok: true, note: ' x ' });
    expect(p.toRecord(['a', '-1e3', 'FALSE', ''])).toEqual({ id: 'a', price: -1000, ok: false, note: null });
    expect(p.toRecord(['a', '', '', 'n'])).toEqual({ id: 'a', price: null, ok: null, note: 'n' });
    for (const bad of ['cheap', '0x10', 'Infinity', '1,5', '1 2']) expect(() => p.toRecord(['a', bad, 'true', '']), bad).toThrow(/not a number/);
    expect(() => p.toRecord(['a', '1', '1', ''])).toThrow(/not true or false/);
    expect(() => p.toRecord(['a', '1'])).toThrow(/expected 4 cells, got 2/);
  });
});
