/** One validation error: which node, where in the document (JSON path), and what is wrong. */
export interface ValidationIssue {
  code: ValidationCode;
  message: string;
  /** JSON path in the document, e.g. `nodes[2].params.where`. */
  path: string;
  nodeId?: string;
  /** Character range inside an expression, for underlining in an editor. */
  range?: { start: number; end: number };
}

export type ValidationCode =
  | 'invalid_document'
  | 'guarantee_unsupported'
  | 'unknown_format'
  | 'invalid_field'
  | 'unknown_kind'
  | 'duplicate_node_id'
  | 'invalid_param'
  | 'dangling_edge'
  | 'unknown_port'
  | 'duplicate_edge'
  | 'unconnected_input'
  | 'too_many_inputs'
  | 'cycle'
  | 'expression_syntax'
  | 'expression_type'
  | 'unknown_field'
  | 'path_not_allowed'
  | 'credentials_in_url'
  | 'unknown_secret'
  | 'invalid_test_case'
  | 'model_mismatch';

/** `['nodes', 2, 'params', 'where']` → `nodes[2].params.where` */
export function formatPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(p))) out += (out ? '.' : '') + String(p);
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}
