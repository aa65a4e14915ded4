// Test helper: a kind's params as the validator would parse them (defaults applied).
import { getKind, type NodeKind, type ParamsOf } from '@eddy/shared';

export function paramsOf<K extends NodeKind>(kind: K, params: Record<string, unknown> = {}): ParamsOf<K> {
  return getKind(kind)!.params.parse(params) as ParamsOf<K>;
}
