import type { ExprError } from './ast.js';

export type TokenType = 'number' | 'string' | 'ident' | 'keyword' | 'op' | 'eof';
export interface Token { type: TokenType; text: string; value: string | number; start: number; end: number }

export const KEYWORDS = [
  'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END',
  'BETWEEN', 'LIKE', 'CAST', 'AS',
] as const;
const KEYWORD_SET = new Set<string>(KEYWORDS);

const OPERATORS = ['<=', '>=', '<>', '!=', '==', '||', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.'];

// Sticky (matched at lastIndex): no copy of the rest of the source per token.
const NUMBER = /(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

export class LexError extends Error {
  constructor(readonly error: ExprError) {
    super(error.message);
  }
}

/** Splits an expression into tokens; keywords are case-insensitive, identifiers keep their case. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(src)!;
      i += m[0].length;
      if (/[A-Za-z_]/.test(src[i] ?? '')) throw new LexError({ message: `Invalid number '${src.slice(start, i + 1)}'`, start, end: i + 1 });
      tokens.push({ type: 'number', text: m[0], value: Number(m[0]), start, end: i });
      continue;
    }
    if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new LexError({ message: 'Unterminated string: add a closing \'', start, end: src.length });
        if (src[i] === "'") {
          if (src[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          break;
        }
        value += src[i++];
      }
      tokens.push({ type: 'string', text: src.slice(start, i), value, start, end: i });
      continue;
    }
    if (c === '`' || c === '"') {
      const close = src.indexOf(c, i + 1);
      if (close < 0) throw new LexError({ message: `Unterminated quoted name: add a closing ${c}`, start, end: src.length });
      const name = src.slice(i + 1, close);
      if (!name) throw new LexError({ message: 'Empty quoted name', start, end: close + 1 });
      i = close + 1;
      tokens.push({ type: 'ident', text: src.slice(start, i), value: name, start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      WORD.lastIndex = i;
      const m = WORD.exec(src)!;
      i += m[0].length;
      const upper = m[0].toUpperCase();
      tokens.push(KEYWORD_SET.has(upper)
        ? { type: 'keyword', text: m[0], value: upper, start, end: i }
        : { type: 'ident', text: m[0], value: m[0], start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new LexError({ message: `Unexpected character '${c}'`, start, end: start + 1 });
    i += op.length;
    tokens.push({ type: 'op', text: op, value: op, start, end: i });
  }
  tokens.push({ type: 'eof', text: '', value: '', start: src.length, end: src.length });
  return tokens;
}
