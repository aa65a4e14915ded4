/** The expression AST. Every node records its source range for error underlining. */
interface Span { start: number; end: number }

export type CastType = 'STRING' | 'NUMBER' | 'BOOLEAN';

export type Expr =
  | (Span & { kind: 'literal'; value: string | number | boolean | null })
  | (Span & { kind: 'field'; path: string[] })
  | (Span & { kind: 'unary'; op: '-' | 'NOT'; operand: Expr })
  | (Span & { kind: 'binary'; op: '+' | '-' | '*' | '/' | '%' | '||'; left: Expr; right: Expr })
  | (Span & { kind: 'logical'; op: 'AND' | 'OR'; left: Expr; right: Expr })
  | (Span & { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: Expr; right: Expr })
  | (Span & { kind: 'in'; operand: Expr; list: Expr[]; negated: boolean })
  | (Span & { kind: 'isNull'; operand: Expr; negated: boolean })
  | (Span & { kind: 'between'; operand: Expr; low: Expr; high: Expr; negated: boolean })
  | (Span & { kind: 'like'; operand: Expr; pattern: Expr; negated: boolean })
  | (Span & { kind: 'case'; operand: Expr | null; whens: { when: Expr; then: Expr }[]; otherwise: Expr | null })
  | (Span & { kind: 'call'; name: string; args: Expr[] })
  | (Span & { kind: 'cast'; operand: Expr; type: CastType });

export interface ExprError { message: string; start: number; end: number }

/** Thrown by compileExpression when the source does not parse or type-check. */
export class ExpressionError extends Error {
  constructor(readonly errors: ExprError[]) {
    super(errors.map((e) => `${e.message} (at ${e.start})`).join('; '));
    this.name = 'ExpressionError';
  }
}

/** Thrown by a compiled expression when a value has the wrong type at run time. */
export class ExpressionRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionRuntimeError';
  }
}

export const jsType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
