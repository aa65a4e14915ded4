import { compileExpression, ExpressionRuntimeError, type ParamsOf } from '@eddy/shared';
import type { Rec } from '../../core/batch.js';
import { copyRecord, setField } from '../../core/set-field.js';
import type { OperatorContext } from '../../core/operator.js';
import { keyString } from '../../core/keys.js';

export type Side = 'left' | 'right';
export const otherSide = (s: Side): Side => (s === 'left' ? 'right' : 'left');


/** Key extraction and output shaping shared by the interval and the window join. */
export class JoinShape {
  private readonly keys: Record<Side, (r: Rec) => unknown>;
  private readonly leftFields: Set<string>;
  private readonly rightFields: string[];

  constructor(params: ParamsOf<'join'>, private readonly ctx: OperatorContext) {
    this.keys = {
      left: compileExpression(params.leftKey, ctx.inputSchemas.left),
      right: compileExpression(params.rightKey, ctx.inputSchemas.right),
    };
    this.leftFields = new Set(Object.keys(ctx.inputSchemas.left?.fields ?? {}));
    this.rightFields = Object.keys(ctx.inputSchemas.right?.fields ?? {});
  }

  /** The key as a string, or null when it is NULL (never joins) or fails (dead letter). */
  key(side: Side, r: Rec): string | null {
    try {
      const v = this.keys[side](r);
      return v === null || v === undefined ? null : keyString(v);
    } catch (err) {
      if (!(err instanceof ExpressionRuntimeError)) throw err;
      this.ctx.deadLetter(r, `join (${side} key): ${err.message}`);
      return null;
    }
  }

  /** Left fields, then right fields; a right field the left already has becomes right_<name>. */
  joined(l: Rec, r: Rec | null): Rec {
    const out = copyRecord(l);
    if (r) {
      for (const name in r) setField(out, this.leftFields.has(name) || Object.hasOwn(l, name) ? `right_${name}` : name, r[name]);
    } else {
      for (const name of this.rightFields) setField(out, this.leftFields.has(name) || Object.hasOwn(l, name) ? `right_${name}` : name, null);
    }
    return out;
  }
}
