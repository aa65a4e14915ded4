import { edgeFromPort, edgeToPort, type PipelineDocument } from '../format/document.js';
import { getKind } from '../catalog/index.js';
import { checkExpression } from '../expr/index.js';
import { lookupField, type RecordSchema, type ValueType } from '../schema/record-schema.js';
import { formatPath, type ValidationIssue } from './issues.js';
import type { GraphInfo } from './graph.js';

/** Output schema per node id and output port. */
export type NodeSchemas = Record<string, Record<string, RecordSchema>>;

const compatible = (actual: ValueType, expected: ValueType) =>
  actual === expected || actual === 'any' || actual === 'null' || expected === 'any';

/** Infers record schemas along the graph and type-checks every expression and field reference. */
export function inferSchemas(doc: PipelineDocument, graph: GraphInfo): { schemas: NodeSchemas; errors: ValidationIssue[] } {
  const schemas: NodeSchemas = {};
  const errors: ValidationIssue[] = [];
  for (const id of graph.order) {
    const index = graph.indexOf.get(id)!;
    const node = doc.nodes[index];
    const def = getKind(node.kind)!;
    const inputs: Record<string, RecordSchema> = {};
    for (const edge of graph.incoming.get(id)!) {
      const upstream = schemas[edge.from]?.[edgeFromPort(edge)];
      if (!upstream) continue;
      const port = edgeToPort(edge);
      // Several edges into one port (union-like): a field known on every edge keeps its type.
      inputs[port] = inputs[port] ? mergeSchemas(inputs[port], upstream) : upstream;
    }
    const at = (path: (string | number)[]) => formatPath(['nodes', index, 'params', ...path]);
    for (const ref of def.expressions?.(node.params) ?? []) {
      const schema = inputs[ref.port] ?? { fields: {}, open: true };
      const checked = checkExpression(ref.source, schema);
      if (!checked.ok) {
        for (const e of checked.errors) {
          errors.push({
            code: /^Unknown field/.test(e.message) ? 'unknown_field' : /^(Expected|Unexpected|Unterminated|The expression nests)/.test(e.message) ? 'expression_syntax' : 'expression_type',
            nodeId: id, path: at(ref.path), message: e.message, range: { start: e.start, end: e.end },
          });
        }
      } else if (ref.expect && !compatible(checked.type, ref.expect)) {
        errors.push({ code: 'expression_type', nodeId: id, path: at(ref.path),
          message: `Expected a ${ref.expect} expression, but '${ref.source}' is a ${checked.type}`,
          range: { start: 0, end: ref.source.length } });
      }
    }
    for (const ref of def.fields?.(node.params) ?? []) {
      const schema = inputs[ref.port];
      if (!schema || schema.open) continue;
      if (!lookupField(schema, ref.field.split('.'))) {
        const known = Object.keys(schema.fields).join(', ');
        errors.push({ code: 'unknown_field', nodeId: id, path: at(ref.path),
          message: `Unknown field '${ref.field}' in the input of '${id}'${known ? `; fields: ${known}` : ''}` });
      }
    }
    const typeOf = (source: string, port = 'in'): ValueType => {
      const checked = checkExpression(source, inputs[port] ?? { fields: {}, open: true });
      return checked.ok ? checked.type : 'any';
    };
    try {
      schemas[id] = def.outputSchema({ params: node.params, inputs, typeOf });
    } catch (err) {
      errors.push({ code: 'invalid_param', nodeId: id, path: formatPath(['nodes', index, 'params']),
        message: `Cannot infer the output of '${id}': ${(err as Error).message}` });
      schemas[id] = {};
    }
  }
  return { schemas, errors };
}

function mergeSchemas(a: RecordSchema, b: RecordSchema): RecordSchema {
  const fields: RecordSchema['fields'] = {};
  for (const [name, f] of Object.entries(a.fields)) {
    const other = b.fields[name];
    if (other) fields[name] = other.type === f.type ? f : { type: 'any' };
  }
  return { fields, open: a.open || b.open || Object.keys(a.fields).length !== Object.keys(b.fields).length || undefined };
}
