import type { ParamsOf } from '@eddy/shared';
import type { Operator, OperatorContext } from '../../core/operator.js';
import { AlignedWindowOperator } from './aligned-window-operator.js';
import { SessionWindowOperator } from './session-window-operator.js';

export function createWindowOperator(params: ParamsOf<'window'>, ctx: OperatorContext): Operator {
  return params.type === 'session' ? new SessionWindowOperator(params, ctx) : new AlignedWindowOperator(params, ctx);
}
