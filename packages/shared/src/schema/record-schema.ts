/**
 * Record schemas: what fields a stream's records carry. Inferred along the graph from
 * the sources' declared or built-in schemas, and used to type-check expressions.
 */
export type ValueType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null' | 'any';

export interface FieldSchema {
  type: ValueType;
  /** Nested fields when `type` is 'object' (access as `a.b`). */
  fields?: Record<string, FieldSchema>;
  /** Epoch milliseconds (a number) that carries event time. */
  timestamp?: boolean;
  /**
   * A number that is always whole (an id, a count, epoch ms): declared `type: "integer"`, inferred for
   * counts and window bounds; a BIGINT in Flink. Expressions see a number like any other.
   */
  integer?: boolean;
  doc?: string;
}

export interface RecordSchema {
  fields: Record<string, FieldSchema>;
  /**
   * An open schema may carry fields not listed (e.g. a JSON file read without a declared
   * schema): unknown fields type as `any` instead of being an error.
   */
  open?: boolean;
}

export const emptySchema = (): RecordSchema => ({ fields: {} });
export const openSchema = (): RecordSchema => ({ fields: {}, open: true });

/** Resolves a nested path (`['cart', 'total']`) in a schema; undefined when absent. */
export function lookupField(schema: RecordSchema, path: readonly string[]): FieldSchema | undefined {
  let fields: Record<string, FieldSchema> | undefined = schema.fields;
  let found: FieldSchema | undefined;
  for (const part of path) {
    if (!fields || !Object.prototype.hasOwnProperty.call(fields, part)) return undefined;
    found = fields[part];
    fields = found.fields;
  }
  return found;
}

/** Field names of a schema, nested ones as dotted paths (for completion). */
export function fieldPaths(schema: RecordSchema): string[] {
  const out: string[] = [];
  const walk = (fields: Record<string, FieldSchema>, prefix: string) => {
    for (const [name, f] of Object.entries(fields)) {
      out.push(prefix + name);
      if (f.fields) walk(f.fields, `${prefix}${name}.`);
    }
  };
  walk(schema.fields, '');
  return out;
}
