import type { RecordSchema, ValueType } from '../schema/record-schema.js';
import { ExpressionError, type Expr, type ExprError } from './ast.js';
import { parseExpression } from './parser.js';
import { checkAst } from './check.js';
import { compileAst, type CompiledExpression } from './compile.js';
import { FUNCTIONS } from './functions.js';
import { KEYWORDS } from './lexer.js';

export { ExpressionError, ExpressionRuntimeError, type Expr, type ExprError, type CastType } from './ast.js';
export { parseExpression, MAX_EXPRESSION_DEPTH } from './parser.js';
export { expressionToSql } from './sql.js';
export type { CompiledExpression } from './compile.js';

const OPEN: RecordSchema = { fields: {}, open: true };

export type CheckResult =
  | { ok: true; ast: Expr; type: ValueType; fields: string[][] }
  | { ok: false; errors: ExprError[] };

/** Parses and type-checks an expression against the schema of its input. */
export function checkExpression(source: string, schema: RecordSchema = OPEN): CheckResult {
  const parsed = parseExpression(source);
  if (!parsed.ok) return parsed;
  const checked = checkAst(parsed.ast, schema);
  if (checked.errors.length) return { ok: false, errors: checked.errors };
  return { ok: true, ast: parsed.ast, type: checked.type, fields: checked.fields };
}

/** Compiles to a closure; throws ExpressionError when the source does not parse or check. */
export function compileExpression(source: string, schema: RecordSchema = OPEN): CompiledExpression {
  const checked = checkExpression(source, schema);
  if (!checked.ok) throw new ExpressionError(checked.errors);
  return compileAst(checked.ast);
}

export interface FunctionInfo { name: string; signature: string; doc: string }

/** For editor completion and docs. */
export const expressionFunctions: FunctionInfo[] = [
  ...FUNCTIONS.map(({ name, signature, doc }) => ({ name, signature, doc })),
  { name: 'CAST', signature: 'CAST(x AS STRING | NUMBER | BOOLEAN)', doc: 'Converts a value; NULL when it does not convert' },
];
export const expressionKeywords: string[] = [...KEYWORDS];
