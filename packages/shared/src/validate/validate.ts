import type { z } from 'zod';
import { PIPELINE_FORMAT, pipelineSchema, type PipelineDocument } from '../format/document.js';
import { migrateDocument } from '../format/migrate.js';
import { getKind } from '../catalog/index.js';
import { formatPath, type ValidationIssue } from './issues.js';
import { checkGraph, type GraphInfo } from './graph.js';
import { inferSchemas, type NodeSchemas } from './infer.js';
import { checkDelivery } from './delivery.js';
import { issueMessage } from './zod-messages.js';
import { checkCredentials } from './credentials.js';

export interface ValidationResult {
  ok: boolean;
  errors: ValidationIssue[];
  /** The document with defaults applied, when the envelope and every node's params parse. */
  document?: PipelineDocument;
  /** Output record schemas per node and port (as far as they could be inferred). */
  schemas?: NodeSchemas;
  graph?: GraphInfo;
}

const plain = issueMessage;

const zodIssues = (error: z.ZodError, prefix: PropertyKey[], nodeId?: string): ValidationIssue[] =>
  error.issues.map((i) => ({
    code: prefix.length > 2 ? 'invalid_param' : 'invalid_field',
    message: plain(i),
    path: formatPath([...prefix, ...i.path]),
    nodeId,
  }));

/**
 * Validates an untrusted pipeline document: format version, envelope, each node's params
 * against its kind, the graph (edges, ports, cycles), and every expression against the
 * record schema inferred for its input. Never throws on bad input.
 */
export function validatePipeline(input: unknown): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ code: 'invalid_document', path: '', message: 'A pipeline document must be a JSON object' }] };
  }
  const migrated = migrateDocument(input as Record<string, unknown>);
  if (!migrated.ok) return { ok: false, errors: [migrated.error] };

  const envelope = pipelineSchema.safeParse(migrated.document);
  const raw = migrated.document as { nodes?: unknown };
  const rawNodes = Array.isArray(raw.nodes) ? raw.nodes : [];
  const idAt = (i: number): string | undefined => {
    const n = rawNodes[i] as { id?: unknown } | undefined;
    return typeof n?.id === 'string' ? n.id : undefined;
  };
  if (!envelope.success) {
    const errors = envelope.error.issues.map((i): ValidationIssue => {
      const nodeIndex = i.path[0] === 'nodes' && typeof i.path[1] === 'number' ? i.path[1] : undefined;
      return {
        code: 'invalid_field', message: plain(i), path: formatPath(i.path),
        nodeId: nodeIndex === undefined ? undefined : idAt(nodeIndex),
      };
    });
    return { ok: false, errors };
  }

  const doc = envelope.data;
  const errors: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  doc.nodes.forEach((node, i) => {
    const first = seen.get(node.id);
    if (first !== undefined) {
      errors.push({ code: 'duplicate_node_id', nodeId: node.id, path: formatPath(['nodes', i, 'id']),
        message: `Node id '${node.id}' is used twice (nodes[${first}] and nodes[${i}])` });
    } else seen.set(node.id, i);
    const def = getKind(node.kind);
    if (!def) {
      errors.push({ code: 'unknown_kind', nodeId: node.id, path: formatPath(['nodes', i, 'kind']),
        message: `Unknown node kind '${node.kind}'` });
      return;
    }
    const params = def.params.safeParse(node.params);
    if (params.success) node.params = params.data as Record<string, unknown>;
    else errors.push(...zodIssues(params.error, ['nodes', i, 'params'], node.id));
  });
  if (errors.length) return { ok: false, errors };

  const graph = checkGraph(doc);
  errors.push(...graph.errors);
  if (graph.errors.some((e) => e.code === 'cycle' || e.code === 'dangling_edge' || e.code === 'unknown_port')) {
    return { ok: false, errors, graph: graph.info };
  }
  const inferred = inferSchemas(doc, graph.info);
  errors.push(...inferred.errors, ...checkDelivery(doc), ...checkCredentials(doc), ...checkTestCases(doc));
  return { ok: errors.length === 0, errors, document: doc, schemas: inferred.schemas, graph: graph.info };
}

/** A test case names sources for its inputs and sinks for what they expect; anything else is a mistake. */
function checkTestCases(doc: PipelineDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const category = new Map(doc.nodes.map((n) => [n.id, getKind(n.kind)?.category]));
  const names = new Set<string>();
  (doc.tests ?? []).forEach((t, i) => {
    if (names.has(t.name)) issues.push({ code: 'invalid_test_case', path: formatPath(['tests', i, 'name']), message: `Test case '${t.name}' is named twice` });
    names.add(t.name);
    for (const [part, want] of [['inputs', 'source'], ['expected', 'sink']] as const) {
      for (const id of Object.keys(t[part])) {
        if (category.get(id) === want) continue;
        issues.push({ code: 'invalid_test_case', path: formatPath(['tests', i, part, id]),
          message: `Test case '${t.name}': '${id}' is not a ${want} of this pipeline${category.has(id) ? '' : ' (no such node)'}` });
      }
    }
  });
  return issues;
}

/** Validates and returns the parsed document, or throws with every error listed. */
export function parsePipeline(input: unknown): PipelineDocument {
  const result = validatePipeline(input);
  if (!result.ok || !result.document) throw new PipelineValidationError(result.errors);
  return result.document;
}

export class PipelineValidationError extends Error {
  constructor(readonly errors: ValidationIssue[]) {
    super(`Invalid pipeline:\n${errors.map((e) => `  ${e.nodeId ? `[${e.nodeId}] ` : ''}${e.path}: ${e.message}`).join('\n')}`);
    this.name = 'PipelineValidationError';
  }
}

export { PIPELINE_FORMAT };
