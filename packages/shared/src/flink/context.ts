import type { NodeKind, ParamsOf } from '../catalog/index.js';
import type { PipelineDocument } from '../format/document.js';
import type { RecordSchema } from '../schema/record-schema.js';
import { columnsOf, ident, NotTranslatable } from './sql-text.js';

/** One upstream relation feeding an input port. */
export interface InputRelation {
  /** Quoted name of the upstream view or table. */
  name: string;
  schema: RecordSchema;
  /** Flink column types that differ from what the schema implies (window_start is a TIMESTAMP_LTZ(3) in Flink). */
  types: Record<string, string>;
}

/** The statements a translation adds, in order. */
export interface FlinkStatements {
  /** CREATE TABLE for sources and sinks. */
  tables: string[];
  /** CREATE TEMPORARY VIEW, in topological order. */
  views: string[];
  /** INSERT INTO, run together as one statement set (one Flink job). */
  inserts: string[];
}

/** What a kind's translation sees of its node and adds to the script. */
export interface TranslateContext<K extends NodeKind = NodeKind> {
  readonly node: { id: string; kind: K; params: ParamsOf<K> };
  readonly settings: PipelineDocument['settings'];
  /** The pipeline's name (names Kafka transactions, as Eddy's sink names them by pipeline and node). */
  readonly pipelineName: string;
  /** The one relation feeding a port (most kinds have one input edge per port). */
  input(port?: string): InputRelation;
  /** Every relation feeding a port (union, sinks with many inputs). */
  inputs(port?: string): InputRelation[];
  /** Declared columns of a port's input (throws when its schema is open). */
  inputColumns(port?: string): string[];
  /** The inferred output schema of a port of this node. */
  outputSchema(port?: string): RecordSchema;
  /** Whether an output port feeds anything. */
  isConnected(port: string): boolean;
  /** Quoted name of this node's relation for an output port. */
  relation(port?: string): string;
  /** Defines this node's output of a port as a view over `select`. */
  view(select: string, port?: string): void;
  /** A helper view private to this node (e.g. keys computed before a window TVF); returns its quoted name. */
  helperView(suffix: string, select: string): string;
  table(statement: string): void;
  insert(statement: string): void;
  /** Sets Flink column types of an output port that differ from the schema's (default: inherited by column name). */
  setTypes(types: Record<string, string>, port?: string): void;
  /** Declares the columns of an output where Flink's differ from Eddy's inferred schema (a union's padded columns). */
  setSchema(schema: RecordSchema, port?: string): void;
  /** A difference in semantics the user should know of; the SQL is still emitted. */
  note(message: string): void;
}

/** Relation name of a node's output port: the node id for `out`, `<id>__<port>` otherwise. */
export const relationName = (nodeId: string, port = 'out'): string => ident(port === 'out' ? nodeId : `${nodeId}__${port}`);

export interface ContextSource {
  doc: PipelineDocument;
  node: PipelineDocument['nodes'][number];
  inputsByPort: Map<string, InputRelation[]>;
  outputs: Record<string, RecordSchema>;
  connectedPorts: Set<string>;
  /** Column type overrides per output port, filled by setTypes. */
  outputTypes: Map<string, Record<string, string>>;
  /** Output schemas set by setSchema. */
  outputSchemas: Map<string, RecordSchema>;
  out: FlinkStatements;
  notes: string[];
}

export function makeContext(src: ContextSource): TranslateContext {
  const { node, out } = src;
  const inputs = (port = 'in') => src.inputsByPort.get(port) ?? [];
  const input = (port = 'in') => {
    const list = inputs(port);
    if (list.length === 0) throw new NotTranslatable(`Input '${port}' is not connected`);
    return list.length === 1 ? list[0] : { name: unionOf(list), schema: list[0].schema, types: Object.assign({}, ...list.map((r) => r.types)) };
  };
  const unionOf = (list: InputRelation[]) => `(${list.map((r) => `SELECT * FROM ${r.name}`).join(' UNION ALL ')})`;
  return {
    node: node as TranslateContext['node'],
    settings: src.doc.settings,
    pipelineName: src.doc.name,
    input,
    inputs,
    inputColumns: (port = 'in') => columnsOf(input(port).schema, `The input of '${node.id}'`),
    outputSchema: (port = 'out') => src.outputs[port] ?? { fields: {} },
    isConnected: (port) => src.connectedPorts.has(port),
    relation: (port = 'out') => relationName(node.id, port),
    view: (select, port = 'out') => out.views.push(`CREATE TEMPORARY VIEW ${relationName(node.id, port)} AS\n${select};`),
    helperView: (suffix, select) => {
      const name = ident(`${node.id}__${suffix}`);
      out.views.push(`CREATE TEMPORARY VIEW ${name} AS\n${select};`);
      return name;
    },
    table: (statement) => out.tables.push(statement),
    insert: (statement) => out.inserts.push(statement),
    setTypes: (types, port = 'out') => src.outputTypes.set(port, types),
    setSchema: (schema, port = 'out') => src.outputSchemas.set(port, schema),
    note: (message) => src.notes.push(message),
  };
}
