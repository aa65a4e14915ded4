import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { translateToFlinkSql, type FlinkIssue } from '@eddy/shared';
import { FlinkGateway, FlinkGatewayError } from './gateway.js';

const FILE_KINDS = new Set(['source.file', 'sink.file']);

/**
 * A copy of the pipeline whose file paths are absolute `file://` URIs (Flink resolves a relative
 * path against its own working folder, not the pipeline's). Returns problems for paths Flink
 * cannot use as given.
 */
export function withAbsolutePaths(doc: unknown, baseDir: string): { doc: unknown; problems: FlinkIssue[] } {
  const copy = structuredClone(doc) as { nodes?: { id: string; kind: string; params?: { path?: unknown } }[] };
  const problems: FlinkIssue[] = [];
  for (const node of copy.nodes ?? []) {
    if (!FILE_KINDS.has(node.kind) || typeof node.params?.path !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(node.params.path)) continue;
    const abs = isAbsolute(node.params.path) ? node.params.path : resolve(baseDir, node.params.path);
    if (node.kind === 'sink.file' && existsSync(abs) && !statSync(abs).isDirectory()) {
      problems.push({ nodeId: node.id, message: `'${abs}' is a file (from an Eddy run?); Flink writes a folder of part files there: remove it or choose another path` });
    }
    node.params.path = `file://${abs}`;
  }
  return { doc: copy, problems };
}

/** Why a pipeline did not become a Flink job: untranslatable nodes, an unreachable gateway, or Flink's refusal. */
export class FlinkSubmitError extends Error {
  constructor(message: string, readonly reason: 'not_translatable' | 'unreachable' | 'refused', readonly problems: FlinkIssue[] = [], readonly statement?: string) {
    super(message);
    this.name = 'FlinkSubmitError';
  }
}

export interface FlinkSubmission {
  jobId: string;
  /** The cluster's REST API, where the job is watched (undefined when neither given nor named by the gateway). */
  restUrl?: string;
  statements: string[];
  notes: FlinkIssue[];
}

/**
 * Translates a pipeline and submits it through a SQL Gateway as one statement set (one Flink job).
 * Nothing is submitted when a node cannot be translated.
 */
export async function submitToFlink(document: unknown, o: { gatewayUrl: string; restUrl?: string; baseDir: string; overrides?: Record<string, string> }): Promise<FlinkSubmission> {
  const prepared = withAbsolutePaths(document, o.baseDir);
  const flink = translateToFlinkSql(prepared.doc);
  const problems = [...prepared.problems, ...flink.problems];
  if (problems.length) {
    throw new FlinkSubmitError(`The pipeline cannot run on Flink as it is (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was submitted`,
      'not_translatable', problems);
  }
  const gateway = new FlinkGateway(o.gatewayUrl);
  let jobId: string | undefined;
  let restUrl = o.restUrl;
  try {
    await gateway.open(`eddy-${Date.now()}`);
    restUrl ??= await gateway.clusterRestUrl();
    // Overrides go last before the statement set, so they win over the script's own SETs.
    const sets = Object.entries(o.overrides ?? {}).map(([k, v]) => `SET '${k.replace(/'/g, "''")}' = '${v.replace(/'/g, "''")}'`);
    const statements = [...flink.statements.slice(0, -1), ...sets, ...flink.statements.slice(-1)];
    for (const statement of statements) {
      const r = await gateway.execute(statement);
      const first = r.rows[0]?.[0];
      jobId = r.jobId ?? (typeof first === 'string' && /^[0-9a-f]{32}$/.test(first) ? first : jobId);
    }
  } catch (err) {
    if (!(err instanceof FlinkGatewayError)) throw err;
    throw new FlinkSubmitError(err.message, err.unreachable ? 'unreachable' : 'refused', [], err.statement);
  } finally {
    await gateway.close();
  }
  if (!jobId) throw new FlinkSubmitError('Flink started no job (the pipeline has no sink?)', 'refused');
  return { jobId, restUrl, statements: flink.statements, notes: flink.notes };
}
