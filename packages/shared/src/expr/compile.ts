import { ExpressionRuntimeError, jsType, type Expr } from './ast.js';
import { FUNCTION_MAP } from './functions.js';
import { likeMatcher, type LikeMatcher } from './like.js';

export type CompiledExpression = (record: Record<string, unknown>) => unknown;
type Fn = CompiledExpression;

const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;

function mismatch(op: string, a: unknown, b?: unknown): never {
  const types = b === undefined ? jsType(a) : `${jsType(a)} and ${jsType(b)}`;
  throw new ExpressionRuntimeError(`${op} cannot apply to ${types} (${JSON.stringify(a)}${b === undefined ? '' : `, ${JSON.stringify(b)}`})`);
}

function hasField(e: Expr): boolean {
  switch (e.kind) {
    case 'literal': return false;
    case 'field': return true;
    case 'unary': case 'isNull': case 'cast': return hasField(e.operand);
    case 'binary': case 'logical': case 'compare': return hasField(e.left) || hasField(e.right);
    case 'in': return hasField(e.operand) || e.list.some(hasField);
    case 'between': return hasField(e.operand) || hasField(e.low) || hasField(e.high);
    case 'like': return hasField(e.operand) || hasField(e.pattern);
    case 'case': return (!!e.operand && hasField(e.operand)) || e.whens.some((w) => hasField(w.when) || hasField(w.then)) || (!!e.otherwise && hasField(e.otherwise));
    case 'call': return e.args.some(hasField);
  }
}

/** SQL comparison: numbers with numbers, strings with strings (by code point), booleans with booleans. */
function compareValues(op: string, a: unknown, b: unknown): number {
  const ta = typeof a;
  if (ta !== typeof b || (ta !== 'number' && ta !== 'string' && ta !== 'boolean')) mismatch(op, a, b);
  if (a === b) return 0;
  if (ta === 'string') return compareCodePoints(a as string, b as string);
  return (a as number) < (b as number) ? -1 : 1;
}

/**
 * Orders strings by Unicode code point (as SQL on UTF-8 / UTF-32 text), not by UTF-16 code
 * unit: at the first differing unit, surrogates (U+10000 and up) sort after U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** SQL three-valued AND. */
const and3 = (a: boolean | null, b: boolean | null): boolean | null => (a === false || b === false ? false : a === null || b === null ? null : true);
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Compiles a (checked) AST to nested closures: no eval, constants folded, fields resolved once. */
export function compileAst(e: Expr): Fn {
  const fn = compileNode(e);
  if (e.kind !== 'literal' && !hasField(e)) {
    try {
      const value = fn({});
      return () => value;
    } catch {
      return fn; // a constant that fails (e.g. 'a' * 2) fails at run time, as written
    }
  }
  return fn;
}

function compileNode(e: Expr): Fn {
  switch (e.kind) {
    case 'literal': {
      const v = e.value;
      return () => v;
    }
    case 'field': {
      const path = e.path;
      // A name every object inherits (constructor, toString, __proto__) is read only when the
      // record has it as its own field (JSON data may); otherwise it is missing, i.e. NULL.
      if (path.length === 1 && !(path[0] in Object.prototype)) {
        const name = path[0];
        return (r) => { const v = r[name]; return v === undefined ? null : v; };
      }
      return (r) => {
        let v: unknown = r;
        for (let i = 0; i < path.length; i++) {
          if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, path[i])) return null;
          v = (v as Record<string, unknown>)[path[i]];
        }
        return v === undefined ? null : v;
      };
    }
    case 'unary': {
      const f = compileAst(e.operand);
      if (e.op === '-') return (r) => { const v = f(r); if (isNull(v)) return null; if (typeof v !== 'number') mismatch('-', v); return -v; };
      return (r) => { const v = f(r); if (isNull(v)) return null; if (typeof v !== 'boolean') mismatch('NOT', v); return !v; };
    }
    case 'binary': return compileBinary(e.op, compileAst(e.left), compileAst(e.right));
    case 'logical': {
      const l = compileAst(e.left);
      const rt = compileAst(e.right);
      const bool = (v: unknown) => { if (!isNull(v) && typeof v !== 'boolean') mismatch(e.op, v); return v; };
      if (e.op === 'AND') {
        return (r) => {
          const a = bool(l(r));
          if (a === false) return false;
          const b = bool(rt(r));
          if (b === false) return false;
          return isNull(a) || isNull(b) ? null : true;
        };
      }
      return (r) => {
        const a = bool(l(r));
        if (a === true) return true;
        const b = bool(rt(r));
        if (b === true) return true;
        return isNull(a) || isNull(b) ? null : false;
      };
    }
    case 'compare': {
      const l = compileAst(e.left);
      const rt = compileAst(e.right);
      const test = { '=': (c: number) => c === 0, '<>': (c: number) => c !== 0, '<': (c: number) => c < 0, '<=': (c: number) => c <= 0,
        '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[e.op];
      const op = e.op;
      return (r) => {
        const a = l(r);
        const b = rt(r);
        if (isNull(a) || isNull(b)) return null;
        return test(compareValues(op, a, b));
      };
    }
    case 'in': {
      const f = compileAst(e.operand);
      const items = e.list.map(compileAst);
      const negated = e.negated;
      return (r) => {
        const v = f(r);
        if (isNull(v)) return null;
        let sawNull = false;
        for (let i = 0; i < items.length; i++) {
          const x = items[i](r);
          if (isNull(x)) { sawNull = true; continue; }
          if (compareValues('IN', v, x) === 0) return !negated;
        }
        return sawNull ? null : negated;
      };
    }
    case 'isNull': {
      const f = compileAst(e.operand);
      return e.negated ? (r) => !isNull(f(r)) : (r) => isNull(f(r));
    }
    case 'between': {
      // x BETWEEN a AND b is x >= a AND x <= b, in three-valued logic: 10 BETWEEN NULL AND 5 is FALSE.
      const f = compileAst(e.operand);
      const lo = compileAst(e.low);
      const hi = compileAst(e.high);
      const negated = e.negated;
      return (r) => {
        const v = f(r); const a = lo(r); const b = hi(r);
        const ge = isNull(v) || isNull(a) ? null : compareValues('BETWEEN', v, a) >= 0;
        const le = isNull(v) || isNull(b) ? null : compareValues('BETWEEN', v, b) <= 0;
        const inside = and3(ge, le);
        return inside === null ? null : negated ? !inside : inside;
      };
    }
    case 'like': {
      const f = compileAst(e.operand);
      const negated = e.negated;
      const literal = e.pattern.kind === 'literal' && typeof e.pattern.value === 'string' ? e.pattern.value : null;
      const fixed = literal === null ? null : likeMatcher(literal);
      const p = compileAst(e.pattern);
      // A pattern from the data: the last one's matcher is kept (rows often repeat it).
      let lastPattern: string | null = null;
      let lastMatcher: LikeMatcher | null = null;
      return (r) => {
        const v = f(r);
        const pat = literal ?? p(r);
        if (isNull(v) || isNull(pat)) return null;
        if (typeof v !== 'string' || typeof pat !== 'string') mismatch('LIKE', v, pat);
        if (fixed) return fixed(v) !== negated;
        if (pat !== lastPattern) { lastPattern = pat; lastMatcher = likeMatcher(pat); }
        return lastMatcher!(v) !== negated;
      };
    }
    case 'case': {
      const operand = e.operand ? compileAst(e.operand) : null;
      const whens = e.whens.map((w) => compileAst(w.when));
      const thens = e.whens.map((w) => compileAst(w.then));
      const otherwise = e.otherwise ? compileAst(e.otherwise) : () => null;
      if (!operand) {
        return (r) => {
          for (let i = 0; i < whens.length; i++) if (whens[i](r) === true) return thens[i](r);
          return otherwise(r);
        };
      }
      return (r) => {
        const v = operand(r);
        if (!isNull(v)) {
          for (let i = 0; i < whens.length; i++) {
            const w = whens[i](r);
            if (!isNull(w) && compareValues('CASE', v, w) === 0) return thens[i](r);
          }
        }
        return otherwise(r);
      };
    }
    case 'call': {
      const def = FUNCTION_MAP.get(e.name)!;
      const args = e.args.map(compileAst);
      const values = new Array<unknown>(args.length); // reused: a node never re-enters itself
      const { impl, nullPropagating } = def;
      return (r) => {
        for (let i = 0; i < args.length; i++) {
          const v = args[i](r);
          if (nullPropagating && isNull(v)) return null;
          values[i] = v === undefined ? null : v;
        }
        return impl(values);
      };
    }
    case 'cast': {
      const f = compileAst(e.operand);
      if (e.type === 'STRING') return (r) => { const v = f(r); return isNull(v) ? null : typeof v === 'object' ? JSON.stringify(v) : String(v); };
      if (e.type === 'NUMBER') {
        // Text: a decimal number, surrounding whitespace ignored (as Flink); anything else ('0x10', '', 'abc') is NULL.
        return (r) => {
          const v = f(r);
          if (isNull(v)) return null;
          if (typeof v === 'boolean') return Number(v);
          if (typeof v === 'number') return v;
          const t = String(v).trim();
          if (!NUMERIC_TEXT.test(t)) return null;
          const n = Number(t);
          return Number.isFinite(n) ? n : null;
        };
      }
      return (r) => {
        const v = f(r);
        if (isNull(v)) return null;
        if (typeof v === 'boolean') return v;
        if (typeof v === 'number') return v !== 0;
        const s = String(v).toLowerCase();
        return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : null;
      };
    }
  }
}

function compileBinary(op: '+' | '-' | '*' | '/' | '%' | '||', l: Fn, rt: Fn): Fn {
  if (op === '||') {
    return (r) => {
      const a = l(r); const b = rt(r);
      if (isNull(a) || isNull(b)) return null;
      if (typeof a === 'object' || typeof b === 'object') mismatch('||', a, b);
      return String(a) + String(b);
    };
  }
  const nums = (a: unknown, b: unknown) => { if (typeof a !== 'number' || typeof b !== 'number') mismatch(op, a, b); };
  switch (op) {
    case '+': return (r) => { const a = l(r); const b = rt(r); if (isNull(a) || isNull(b)) return null; nums(a, b); return (a as number) + (b as number); };
    case '-': return (r) => { const a = l(r); const b = rt(r); if (isNull(a) || isNull(b)) return null; nums(a, b); return (a as number) - (b as number); };
    case '*': return (r) => { const a = l(r); const b = rt(r); if (isNull(a) || isNull(b)) return null; nums(a, b); return (a as number) * (b as number); };
    case '/': return (r) => { const a = l(r); const b = rt(r); if (isNull(a) || isNull(b)) return null; nums(a, b); return b === 0 ? null : (a as number) / (b as number); };
    case '%': return (r) => { const a = l(r); const b = rt(r); if (isNull(a) || isNull(b)) return null; nums(a, b); return b === 0 ? null : (a as number) % (b as number); };
  }
}
