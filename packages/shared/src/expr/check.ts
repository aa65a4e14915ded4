import { fieldPaths, lookupField, type RecordSchema, type ValueType } from '../schema/record-schema.js';
import type { Expr, ExprError } from './ast.js';
import { FUNCTION_MAP, FUNCTIONS } from './functions.js';

export interface CheckOutput { type: ValueType; errors: ExprError[]; fields: string[][] }

const VALUE_TYPES = new Set<string>(['string', 'number', 'boolean', 'object', 'array', 'null', 'any']);
const compatible = (a: ValueType, b: ValueType) => a === b || a === 'any' || b === 'any' || a === 'null' || b === 'null';

/** Closest candidate within edit distance 2, for "did you mean". */
export function suggest(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Type-checks an AST against a record schema, collecting every error (not just the first). */
export function checkAst(ast: Expr, schema: RecordSchema): CheckOutput {
  const errors: ExprError[] = [];
  const fields: string[][] = [];
  const err = (e: Expr, message: string): ValueType => {
    errors.push({ message, start: e.start, end: e.end });
    return 'any';
  };
  const want = (e: Expr, t: ValueType, expected: ValueType, what: string) => {
    if (!compatible(t, expected)) err(e, `${what} must be a ${expected}, but this is a ${t}`);
  };

  const visit = (e: Expr): ValueType => {
    switch (e.kind) {
      case 'literal':
        return e.value === null ? 'null' : (typeof e.value as ValueType);
      case 'field': {
        fields.push(e.path);
        const f = lookupField(schema, e.path);
        if (f) return f.type;
        // Inside an object of unknown shape, or an open schema: known only at run time.
        for (let i = e.path.length - 1; i > 0; i--) {
          const parent = lookupField(schema, e.path.slice(0, i));
          if (parent) {
            if (parent.type === 'any' || (parent.type === 'object' && !parent.fields)) return 'any';
            if (parent.type !== 'object') return err(e, `'${e.path.slice(0, i).join('.')}' is a ${parent.type}, it has no field '${e.path[i]}'`);
            break;
          }
        }
        if (schema.open) return 'any';
        const name = e.path.join('.');
        const hint = suggest(name, fieldPaths(schema));
        return err(e, `Unknown field '${name}'${hint ? `; did you mean '${hint}'?` : ''}`);
      }
      case 'unary': {
        const t = visit(e.operand);
        if (e.op === '-') { want(e.operand, t, 'number', 'The operand of -'); return 'number'; }
        want(e.operand, t, 'boolean', 'The operand of NOT');
        return 'boolean';
      }
      case 'binary': {
        const l = visit(e.left);
        const r = visit(e.right);
        if (e.op === '||') {
          for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
            if (t === 'object' || t === 'array') err(side, `|| joins text, numbers and booleans, not a ${t}`);
          }
          return 'string';
        }
        want(e.left, l, 'number', `The left side of ${e.op}`);
        want(e.right, r, 'number', `The right side of ${e.op}`);
        return 'number';
      }
      case 'logical':
        want(e.left, visit(e.left), 'boolean', `The left side of ${e.op}`);
        want(e.right, visit(e.right), 'boolean', `The right side of ${e.op}`);
        return 'boolean';
      case 'compare': {
        const l = visit(e.left);
        const r = visit(e.right);
        if (!compatible(l, r)) err(e, `Cannot compare a ${l} with a ${r}`);
        return 'boolean';
      }
      case 'in': {
        const t = visit(e.operand);
        for (const item of e.list) {
          const it = visit(item);
          if (!compatible(t, it)) err(item, `IN list item is a ${it}, but the value is a ${t}`);
        }
        return 'boolean';
      }
      case 'isNull':
        visit(e.operand);
        return 'boolean';
      case 'between': {
        const t = visit(e.operand);
        for (const bound of [e.low, e.high]) {
          const bt = visit(bound);
          if (!compatible(t, bt)) err(bound, `BETWEEN bound is a ${bt}, but the value is a ${t}`);
        }
        return 'boolean';
      }
      case 'like':
        want(e.operand, visit(e.operand), 'string', 'The value of LIKE');
        want(e.pattern, visit(e.pattern), 'string', 'The pattern of LIKE');
        return 'boolean';
      case 'case': {
        const operandType = e.operand ? visit(e.operand) : null;
        for (const w of e.whens) {
          const wt = visit(w.when);
          if (operandType === null) want(w.when, wt, 'boolean', 'A WHEN condition');
          else if (!compatible(operandType, wt)) err(w.when, `WHEN value is a ${wt}, but CASE compares a ${operandType}`);
        }
        const results = [...e.whens.map((w) => [w.then, visit(w.then)] as const), ...(e.otherwise ? [[e.otherwise, visit(e.otherwise)] as const] : [])];
        let type: ValueType = 'null';
        for (const [node, t] of results) {
          if (!compatible(type, t)) err(node, `CASE results must have one type: this is a ${t}, an earlier one a ${type}`);
          else if (type === 'null' || type === 'any') type = t === 'null' ? type : t;
        }
        return type;
      }
      case 'call': {
        const def = FUNCTION_MAP.get(e.name);
        const argTypes = e.args.map(visit);
        if (!def) {
          const hint = suggest(e.name, FUNCTIONS.map((f) => f.name));
          return err(e, `Unknown function '${e.name}'${hint ? `; did you mean ${hint}?` : ''}`);
        }
        if (e.args.length < def.minArgs || e.args.length > def.maxArgs) {
          const range = def.maxArgs === Infinity ? `at least ${def.minArgs}` : def.minArgs === def.maxArgs ? `${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
          return err(e, `${e.name} takes ${range} argument${def.maxArgs === 1 ? '' : 's'}, got ${e.args.length}: ${def.signature}`);
        }
        const t = def.type(argTypes);
        return VALUE_TYPES.has(t) ? (t as ValueType) : err(e, `${e.name}: ${t}`);
      }
      case 'cast':
        visit(e.operand);
        return e.type === 'STRING' ? 'string' : e.type === 'NUMBER' ? 'number' : 'boolean';
    }
  };

  const type = visit(ast);
  return { type, errors, fields };
}
