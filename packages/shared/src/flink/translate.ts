import { edgeFromPort, edgeToPort, type PipelineDocument } from '../format/document.js';
import { validatePipeline } from '../validate/validate.js';
import type { NodeKind } from '../catalog/index.js';
import { makeContext, relationName, type FlinkStatements, type InputRelation } from './context.js';
import { NotTranslatable } from './sql-text.js';
import type { RecordSchema } from '../schema/record-schema.js';
import { translations } from './kinds/index.js';
import { restartStatements } from './restart.js';

/** Why a node could not be translated, or a note on how Flink's semantics differ from Eddy's. */
export interface FlinkIssue { nodeId?: string; message: string }

export interface FlinkTranslation {
  /** True when every node translated (the script runs as is). */
  ok: boolean;
  /** The Flink SQL script: tables, views, and one statement set of inserts. */
  sql: string;
  /** Nodes that cannot be expressed in Flink SQL, with the reason (also as comments in `sql`). */
  problems: FlinkIssue[];
  /** Where Flink behaves differently from Eddy (also as comments in `sql`). */
  notes: FlinkIssue[];
  /** The script's statements one by one (no comments, no final ';'), as a SQL Gateway runs them. */
  statements: string[];
}

/** The Flink version the script targets (PERCENTILE and the SESSION window TVF need it). */
export const FLINK_VERSION = '2.0';

/**
 * Translates a pipeline document into a Flink SQL script: every source and sink a CREATE TABLE,
 * every operator a temporary view, and one EXECUTE STATEMENT SET of INSERTs. Each kind has one
 * translation (kinds/index.ts) or says why it cannot be translated.
 */
export function translateToFlinkSql(input: unknown): FlinkTranslation {
  const validated = validatePipeline(input);
  if (!validated.ok || !validated.document || !validated.graph || !validated.schemas) {
    const problems = validated.errors.map((e) => ({ nodeId: e.nodeId, message: `Invalid pipeline at ${e.path || 'the document'}: ${e.message}` }));
    return { ok: false, sql: '', problems, notes: [], statements: [] };
  }
  const doc = validated.document;
  const { graph, schemas } = validated;
  const out: FlinkStatements = { tables: [], views: [], inserts: [] };
  const problems: FlinkIssue[] = [];
  const notes: FlinkIssue[] = [];
  const types = new Map<string, Record<string, string>>();
  const flinkSchemas = new Map<string, RecordSchema>();
  const failed = new Set<string>();

  for (const id of graph.order) {
    const node = doc.nodes[graph.indexOf.get(id)!];
    const inputsByPort = new Map<string, InputRelation[]>();
    let upstreamFailed = false;
    for (const edge of graph.incoming.get(id)!) {
      if (failed.has(edge.from)) upstreamFailed = true;
      const port = edgeToPort(edge);
      const from = edgeFromPort(edge);
      const list = inputsByPort.get(port) ?? [];
      const schema = flinkSchemas.get(`${edge.from}/${from}`) ?? schemas[edge.from]?.[from] ?? { fields: {}, open: true };
      list.push({ name: relationName(edge.from, from), schema,
        types: types.get(`${edge.from}/${from}`) ?? {} });
      inputsByPort.set(port, list);
    }
    if (upstreamFailed) {
      failed.add(id);
      continue;
    }
    const nodeNotes: string[] = [];
    const outputTypes = new Map<string, Record<string, string>>();
    const outputSchemas = new Map<string, RecordSchema>();
    const connectedPorts = new Set((graph.outgoing.get(id) ?? []).map(edgeFromPort));
    const ctx = makeContext({ doc, node, inputsByPort, outputs: schemas[id] ?? {}, connectedPorts, outputTypes, outputSchemas, out, notes: nodeNotes });
    const mark = { tables: out.tables.length, views: out.views.length, inserts: out.inserts.length };
    try {
      (translations[node.kind as NodeKind] as (c: typeof ctx) => void)(ctx);
    } catch (e) {
      if (!(e instanceof NotTranslatable)) throw e;
      out.tables.length = mark.tables;
      out.views.length = mark.views;
      out.inserts.length = mark.inserts;
      problems.push({ nodeId: id, message: e.reason });
      failed.add(id);
      continue;
    }
    // Column types Flink changed (window bounds) follow the column by name unless the kind said otherwise.
    const inherited = Object.assign({}, ...[...inputsByPort.values()].flat().map((r) => r.types)) as Record<string, string>;
    for (const [port, schema] of outputSchemas) flinkSchemas.set(`${id}/${port}`, schema);
    for (const [port, schema] of Object.entries(schemas[id] ?? {})) {
      const set = outputTypes.get(port);
      const kept = set ?? Object.fromEntries(Object.entries(inherited).filter(([c]) => c in schema.fields));
      types.set(`${id}/${port}`, kept);
    }
    for (const message of nodeNotes) notes.push({ nodeId: id, message });
  }
  if (doc.settings.parallelism !== undefined && doc.settings.parallelism !== 1) {
    notes.push({ message: 'Flink runs the operators in parallel without merging channels in watermark order: with out-of-order data, '
      + 'which records are late can differ from Eddy (Eddy gives the rows of parallelism 1 at any parallelism; docs/parallelism.md)' });
  }
  const statements = executable(doc, out);
  return { ok: problems.length === 0, sql: render(doc, statements, problems, notes), problems, notes, statements };
}

const comment = (text: string) => text.split('\n').map((l) => `-- ${l}`).join('\n');

/** Settings, tables, views and the one statement set, each a statement without its final ';'. */
function executable(doc: PipelineDocument, out: FlinkStatements): string[] {
  const list: string[] = [];
  const interval = doc.settings.checkpointIntervalMs;
  list.push(`SET 'execution.checkpointing.interval' = '${interval}ms';`);
  // Eddy reads times without an offset, and takes date parts, in UTC: so must Flink (TO_TIMESTAMP_LTZ, EXTRACT, UNIX_TIMESTAMP).
  list.push(`SET 'table.local-time-zone' = 'UTC';`);
  list.push(`SET 'execution.checkpointing.mode' = '${doc.settings.guarantee === 'exactly-once' ? 'EXACTLY_ONCE' : 'AT_LEAST_ONCE'}';`);
  list.push(...restartStatements(doc.settings.restart));
  // A number of subtasks carries over; 'auto' is Flink's own default (its cluster's configuration).
  if (typeof doc.settings.parallelism === 'number') list.push(`SET 'parallelism.default' = '${doc.settings.parallelism}';`);
  list.push(...out.tables, ...out.views);
  if (out.inserts.length) list.push(`EXECUTE STATEMENT SET\nBEGIN\n${out.inserts.join('\n')}\nEND;`);
  return list.map((st) => st.replace(/;\s*$/, ''));
}

function render(doc: PipelineDocument, statements: string[], problems: FlinkIssue[], notes: FlinkIssue[]): string {
  const parts: string[] = [comment(`${doc.name}: Flink SQL (Flink ${FLINK_VERSION} or later), translated by Eddy`)];
  if (problems.length) {
    parts.push(comment(`NOT TRANSLATED — the script is incomplete:\n${problems.map((p) => `  [${p.nodeId ?? '-'}] ${p.message}`).join('\n')}`));
  }
  if (notes.length) parts.push(comment(`How Flink differs here:\n${notes.map((n) => `  [${n.nodeId ?? '-'}] ${n.message}`).join('\n')}`));
  parts.push(...statements.map((st) => `${st};`));
  return `${parts.join('\n\n')}\n`;
}
