import { describe, expect, it } from 'vitest';
import { compileExpression, expressionToSql, parseExpression } from './index.js';

/** Expected values are Flink SQL's answers, worked out from the SQL rules, not from Eddy's output. */
const run = (src: string, r: Record<string, unknown> = {}) => compileExpression(src)(r);
const cases = (table: [string, unknown][], r: Record<string, unknown> = {}) => {
  for (const [src, want] of table) expect(run(src, r), src).toBe(want);
};

describe('three-valued logic', () => {
  it('BETWEEN is x >= a AND x <= b with SQL AND', () => {
    cases([
      ['10 BETWEEN NULL AND 5', false], ['3 BETWEEN NULL AND 5', null], ['3 BETWEEN 1 AND NULL', null],
      ['0 BETWEEN 1 AND NULL', false], ['NULL BETWEEN 1 AND 5', null], ['3 BETWEEN 1 AND 5', true],
      ['10 NOT BETWEEN NULL AND 5', true], ['3 NOT BETWEEN NULL AND 5', null], ['0 NOT BETWEEN 1 AND NULL', true],
      ['3 NOT BETWEEN 1 AND 5', false],
    ]);
    // The same through fields (no constant folding).
    cases([['x BETWEEN n AND 5', false], ['y BETWEEN n AND 5', null], ['x NOT BETWEEN n AND 5', true]], { x: 10, y: 3, n: null });
  });

  it('AND, OR, NOT, comparisons and IN with NULL', () => {
    cases([
      ['n AND TRUE', null], ['n AND FALSE', false], ['FALSE AND n', false], ['n OR TRUE', true], ['n OR FALSE', null],
      ['NOT n', null], ['n = 1', null], ['n <> 1', null], ['n < 1', null], ["s = NULL", null],
      ['1 IN (2, NULL)', null], ['1 IN (1, NULL)', true], ['1 NOT IN (2, NULL)', null], ['1 NOT IN (1, NULL)', false],
      ['n IN (1, 2)', null], ['3 NOT IN (1, 2)', true],
    ], { n: null, s: 'a' });
  });
});

describe('ROUND: half away from zero on the decimal value', () => {
  it('rounds the shortest decimal form', () => {
    cases([
      ['ROUND(5.015, 2)', 5.02], ['ROUND(-3.45, 1)', -3.5], ['ROUND(2.5)', 3], ['ROUND(-2.5)', -3], ['ROUND(1.005, 2)', 1.01],
      ['ROUND(0.5)', 1], ['ROUND(0.49)', 0], ['ROUND(1234.5678, 2)', 1234.57], ['ROUND(1250, -2)', 1300], ['ROUND(-1250, -2)', -1300],
      ['ROUND(49, -2)', 0], ['ROUND(0.000015, 5)', 0.00002], ['ROUND(2.675, 2)', 2.68], ['ROUND(7, 2)', 7], ['ROUND(-0.4)', 0],
      ['ROUND(1e-7, 2)', 0], ['ROUND(123456789.125, 2)', 123456789.13],
    ]);
  });
});

describe('strings by code point', () => {
  it('compare by code point, not UTF-16 unit', () => {
    // U+1F600 (😀) is above U+FF5E (～), though its first UTF-16 unit (0xD83D) is below 0xFF5E.
    cases([["'😀' > '～'", true], ["'～' < '😀'", true], ["'a' < 'b'", true], ["'ab' > 'a'", true], ["'😀' = '😀'", true]]);
    cases([['a > b', true]], { a: '😀', b: '～' });
  });

  it('LIKE _ is one code point; LENGTH and CHAR_LENGTH count code points', () => {
    cases([
      ["'😀' LIKE '_'", true], ["'😀' LIKE '__'", false], ["'a😀b' LIKE 'a_b'", true], ["'a-bc' LIKE 'a-_'", false], ["'a-b' LIKE 'a-%'", true],
      ["'x.y' LIKE 'x.y'", true], ["'xzy' LIKE 'x.y'", false],
      ["LENGTH('😀a')", 2], ["CHAR_LENGTH('😀a')", 2], ["CHAR_LENGTH('')", 0],
    ]);
  });

  it('SUBSTRING counts code points, 1-based; negative start from the end; start 0 as 1', () => {
    cases([
      ["SUBSTRING('hello', 2, 3)", 'ell'], ["SUBSTRING('hello', -3)", 'llo'], ["SUBSTRING('hello', -3, 2)", 'll'],
      ["SUBSTRING('hello', 0, 2)", 'he'], ["SUBSTRING('hello', 0)", 'hello'], ["SUBSTRING('hello', 6)", ''], ["SUBSTRING('hello', -6)", ''],
      ["SUBSTRING('hello', 4, 10)", 'lo'], ["SUBSTRING('hello', 2, -1)", ''], ["SUBSTRING('😀ab', 2)", 'ab'], ["SUBSTRING('a😀b', 2, 1)", '😀'],
    ]);
  });

  it('TRIM, LTRIM and RTRIM remove spaces only', () => {
    cases([
      ["TRIM('  a b  ')", 'a b'], ["TRIM('\\ta\\n')", '\\ta\\n'], ["LTRIM('  a  ')", 'a  '], ["RTRIM('  a  ')", '  a'],
    ]);
    cases([['TRIM(s)', '\ta\n'], ['LTRIM(s)', '\ta\n '], ['RTRIM(s)', ' \ta\n']], { s: ' \ta\n ' });
  });
});

describe('CAST to NUMBER', () => {
  it('decimal text only, whitespace around it ignored (as Flink)', () => {
    cases([
      ["CAST('0x10' AS NUMBER)", null], ["CAST('  12 ' AS NUMBER)", 12], ["CAST('1e3' AS NUMBER)", 1000], ["CAST('' AS NUMBER)", null],
      ["CAST('abc' AS NUMBER)", null], ["CAST('-1.5' AS NUMBER)", -1.5], ["CAST('Infinity' AS NUMBER)", null], ["CAST('1_000' AS NUMBER)", null],
      ["CAST('0b1' AS NUMBER)", null], ["CAST(TRUE AS NUMBER)", 1],
    ]);
  });
});

describe('numbers are doubles, in Eddy and in the Flink translation', () => {
  const sql = (src: string) => { const r = parseExpression(src); if (!r.ok) throw new Error('bad'); return expressionToSql(r.ast); };
  it('7 / 2 is 3.5 and number literals are written as DOUBLE literals', () => {
    cases([['7 / 2', 3.5], ['0.1 + 0.2', 0.1 + 0.2]]);
    expect(sql('7 / 2')).toBe('(7E0 / 2E0)');
    expect(sql('0.1 + 0.2')).toBe('(0.1E0 + 0.2E0)');
    expect(sql('x * 1e-7')).toBe('(`x` * 1E-7)');
  });
  it('SUBSTRING positions and ROUND digits stay INT', () => {
    expect(sql('SUBSTRING(s, 2, 3)')).toBe('SUBSTRING(`s` FROM 2 FOR 3)');
    expect(sql('SUBSTRING(s, -3)')).toBe('SUBSTRING(`s` FROM -3)');
    expect(sql('SUBSTRING(s, n)')).toBe('SUBSTRING(`s` FROM CAST(`n` AS INT))');
    expect(sql('ROUND(x, 2)')).toBe('ROUND(`x`, 2)');
    expect(sql('ROUND(x)')).toBe('ROUND(`x`)');
  });
});
