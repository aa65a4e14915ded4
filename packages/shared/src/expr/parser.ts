import type { CastType, Expr, ExprError } from './ast.js';
import { LexError, tokenize, type Token } from './lexer.js';

class ParseError extends Error {
  constructor(readonly error: ExprError) {
    super(error.message);
  }
}

/**
 * How deep an expression may nest (parentheses, function calls, CASE, chained operators,
 * repeated NOT or -): far beyond hand-written expressions, well below the stack the parser,
 * checker and compiler need.
 */
export const MAX_EXPRESSION_DEPTH = 256;
const tooDeep = `The expression nests deeper than ${MAX_EXPRESSION_DEPTH} levels; split it (e.g. into several map fields) or use IN (…) for long lists`;

const describe = (t: Token) => (t.type === 'eof' ? 'the end' : `'${t.text}'`);

/** Recursive descent with SQL precedence: OR < AND < NOT < predicates < || < + - < * / % < unary -. */
class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  /** Runs one level of recursion, refusing past MAX_EXPRESSION_DEPTH before the stack runs out. */
  private nested<T>(f: () => T): T {
    if (++this.depth > MAX_EXPRESSION_DEPTH) this.fail(tooDeep, this.peek());
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  parse(): Expr {
    const e = this.or();
    const t = this.peek();
    if (t.type !== 'eof') this.fail(`Unexpected ${describe(t)} after a complete expression`, t);
    return e;
  }

  private peek(offset = 0): Token { return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]; }
  private next(): Token { return this.tokens[this.pos++]; }
  private isKeyword(word: string, offset = 0): boolean { const t = this.peek(offset); return t.type === 'keyword' && t.value === word; }
  private isOp(op: string): boolean { const t = this.peek(); return t.type === 'op' && t.value === op; }
  private fail(message: string, t: Token): never { throw new ParseError({ message, start: t.start, end: Math.max(t.end, t.start + 1) }); }

  private expectOp(op: string): Token {
    const t = this.peek();
    if (t.type !== 'op' || t.value !== op) this.fail(`Expected '${op}' at ${t.start} but found ${describe(t)}`, t);
    return this.next();
  }

  private expectKeyword(word: string): Token {
    const t = this.peek();
    if (t.type !== 'keyword' || t.value !== word) this.fail(`Expected ${word} at ${t.start} but found ${describe(t)}`, t);
    return this.next();
  }

  private or(): Expr {
    return this.nested(() => this.orChain());
  }

  private orChain(): Expr {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.next();
      const right = this.and();
      left = { kind: 'logical', op: 'OR', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      const right = this.not();
      left = { kind: 'logical', op: 'AND', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    if (this.isKeyword('NOT')) {
      const t = this.next();
      const operand = this.nested(() => this.not());
      return { kind: 'unary', op: 'NOT', operand, start: t.start, end: operand.end };
    }
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.concat();
    const t = this.peek();
    if (t.type === 'op' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      const right = this.concat();
      const op = t.text === '==' ? '=' : t.text === '!=' ? '<>' : (t.text as '=' | '<>' | '<' | '<=' | '>' | '>=');
      return { kind: 'compare', op, left, right, start: left.start, end: right.end };
    }
    if (this.isKeyword('IS')) {
      this.next();
      const negated = this.isKeyword('NOT') && !!this.next();
      const end = this.expectKeyword('NULL').end;
      return { kind: 'isNull', operand: left, negated, start: left.start, end };
    }
    const negated = this.isKeyword('NOT') && (this.isKeyword('IN', 1) || this.isKeyword('BETWEEN', 1) || this.isKeyword('LIKE', 1));
    if (negated) this.next();
    if (this.isKeyword('IN')) {
      this.next();
      this.expectOp('(');
      const list = [this.or()];
      while (this.isOp(',')) { this.next(); list.push(this.or()); }
      const end = this.expectOp(')').end;
      return { kind: 'in', operand: left, list, negated, start: left.start, end };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.concat();
      this.expectKeyword('AND');
      const high = this.concat();
      return { kind: 'between', operand: left, low, high, negated, start: left.start, end: high.end };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      const pattern = this.concat();
      return { kind: 'like', operand: left, pattern, negated, start: left.start, end: pattern.end };
    }
    return left;
  }

  private concat(): Expr {
    let left = this.additive();
    while (this.isOp('||')) {
      this.next();
      const right = this.additive();
      left = { kind: 'binary', op: '||', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().value as '+' | '-';
      const right = this.multiplicative();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.next().value as '*' | '/' | '%';
      const right = this.unary();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      const operand = this.nested(() => this.unary());
      return { kind: 'unary', op: '-', operand, start: t.start, end: operand.end };
    }
    if (this.isOp('+')) this.next();
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.type === 'number') { this.next(); return { kind: 'literal', value: t.value as number, start: t.start, end: t.end }; }
    if (t.type === 'string') { this.next(); return { kind: 'literal', value: t.value as string, start: t.start, end: t.end }; }
    if (t.type === 'keyword') {
      if (t.value === 'TRUE' || t.value === 'FALSE' || t.value === 'NULL') {
        this.next();
        return { kind: 'literal', value: t.value === 'NULL' ? null : t.value === 'TRUE', start: t.start, end: t.end };
      }
      if (t.value === 'CASE') return this.caseExpr();
      if (t.value === 'CAST') return this.cast();
      this.fail(`Unexpected ${t.value}`, t);
    }
    if (t.type === 'op' && t.value === '(') {
      this.next();
      const inner = this.or();
      const close = this.expectOp(')');
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.type === 'ident') {
      this.next();
      if (this.isOp('(') && !/^[`"]/.test(t.text)) return this.call(t);
      const path = [t.value as string];
      let end = t.end;
      while (this.isOp('.')) {
        this.next();
        const part = this.peek();
        if (part.type !== 'ident' && part.type !== 'keyword') this.fail(`Expected a field name after '.' at ${part.start}`, part);
        this.next();
        path.push(part.type === 'keyword' ? part.text : (part.value as string));
        end = part.end;
      }
      return { kind: 'field', path, start: t.start, end };
    }
    this.fail(t.type === 'eof' ? `Unexpected end of expression at ${t.start}` : `Unexpected ${describe(t)} at ${t.start}`, t);
  }

  private call(name: Token): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) { this.next(); args.push(this.or()); }
    }
    const end = this.expectOp(')').end;
    return { kind: 'call', name: (name.value as string).toUpperCase(), args, start: name.start, end };
  }

  private cast(): Expr {
    const start = this.next().start;
    this.expectOp('(');
    const operand = this.or();
    this.expectKeyword('AS');
    const t = this.next();
    const type = String(t.text).toUpperCase();
    const mapped: Record<string, CastType> = { STRING: 'STRING', VARCHAR: 'STRING', NUMBER: 'NUMBER', DOUBLE: 'NUMBER', INT: 'NUMBER', BIGINT: 'NUMBER', BOOLEAN: 'BOOLEAN' };
    if (!mapped[type]) this.fail(`Unknown type '${t.text}' in CAST: use STRING, NUMBER or BOOLEAN`, t);
    const end = this.expectOp(')').end;
    return { kind: 'cast', operand, type: mapped[type], start, end };
  }

  private caseExpr(): Expr {
    const start = this.next().start;
    const operand = this.isKeyword('WHEN') ? null : this.or();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.isKeyword('WHEN')) {
      this.next();
      const when = this.or();
      this.expectKeyword('THEN');
      whens.push({ when, then: this.or() });
    }
    if (!whens.length) this.fail('CASE needs at least one WHEN … THEN …', this.peek());
    let otherwise: Expr | null = null;
    if (this.isKeyword('ELSE')) { this.next(); otherwise = this.or(); }
    const end = this.expectKeyword('END').end;
    return { kind: 'case', operand, whens, otherwise, start, end };
  }
}

/** Depth of an AST, without recursion (a chain `a + a + … + a` is as deep as it is long). */
export function astDepth(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    for (const child of children(e)) stack.push([child, d + 1]);
  }
  return max;
}

function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'literal': case 'field': return [];
    case 'unary': case 'isNull': case 'cast': return [e.operand];
    case 'binary': case 'logical': case 'compare': return [e.left, e.right];
    case 'in': return [e.operand, ...e.list];
    case 'between': return [e.operand, e.low, e.high];
    case 'like': return [e.operand, e.pattern];
    case 'case': return [...(e.operand ? [e.operand] : []), ...e.whens.flatMap((w) => [w.when, w.then]), ...(e.otherwise ? [e.otherwise] : [])];
    case 'call': return e.args;
  }
}

export function parseExpression(source: string): { ok: true; ast: Expr } | { ok: false; errors: ExprError[] } {
  try {
    if (!source.trim()) return { ok: false, errors: [{ message: 'The expression is empty', start: 0, end: source.length }] };
    const ast = new Parser(tokenize(source)).parse();
    // The parser's own depth misses left-deep chains, which it builds in a loop.
    if (astDepth(ast) > MAX_EXPRESSION_DEPTH) return { ok: false, errors: [{ message: tooDeep, start: 0, end: source.length }] };
    return { ok: true, ast };
  } catch (err) {
    if (err instanceof LexError || err instanceof ParseError) return { ok: false, errors: [err.error] };
    throw err;
  }
}
