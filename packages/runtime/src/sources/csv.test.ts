import { describe, expect, it } from 'vitest';
import { CsvParser, splitCsv } from './csv.js';

describe('CSV', () => {
  it('splits quoted cells with delimiters and doubled quotes', () => {
    expect(splitCsv('a,"b,c","say ""hi""",,d', ',')).toEqual(['a', 'b,c', 'say "hi"', '', 'd']);
    expect(splitCsv('x;y', ';')).toEqual(['x', 'y']);
    expect(() => splitCsv('"a"b,c', ',')).toThrow(/after a quoted cell/);
  });

  it('reads a header, converts declared types, NULLs empty cells', () => {
    const p = new CsvParser(',', [{ name: 'price', type: 'number' }, { name: 'ok', type: 'boolean' }]);
    expect(p.parse('id,price,ok,note')).toBeNull();
    expect(p.parse('a1,9.5,true,')).toEqual({ id: 'a1', price: 9.5, ok: true, note: null });
    expect(() => p.parse('a2,cheap,false,x')).toThrow(/not a number/);
    expect(() => p.parse('a3,1')).toThrow(/expected 4 cells/);
  });
});
