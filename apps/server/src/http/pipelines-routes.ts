import { Router, type Request } from 'express';
import { canonicalJson, translateToFlinkSql, validatePipeline, type PipelineDocument, type PipelineRecord } from '@eddy/shared';
import { join } from 'node:path';
import { checkFilePaths, checkModels, checkSecrets } from '@eddy/runtime';
import { HttpError } from './errors.js';
import { Invalid, InvalidPipeline, NotTranslatable } from '../domain-errors.js';
import { summary, type PipelineStore, type StoredPipeline } from '../store/pipeline-store.js';
import type { FlinkDeployments } from '../flink/deployments.js';
import type { JobManager } from '../jobs/job-manager.js';

/**
 * Validates a body as a pipeline document or throws InvalidPipeline with every error. With
 * `dataDir`, every file it names must lie in the allowed folders too (such a document is never stored).
 */
export function requireDocument(input: unknown, dataDir?: string): PipelineDocument {
  const result = validatePipeline(input);
  if (!result.ok || !result.document) throw new InvalidPipeline(result.errors);
  const refused = dataDir === undefined ? [] : checkFilePaths(result.document, { baseDir: dataDir });
  if (refused.length) throw new InvalidPipeline(refused);
  return result.document;
}

export function requireJsonBody(req: Request): unknown {
  if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  return req.body;
}

/** `?revision=N` or `If-Match: N`: the revision the client last read, to refuse stale writes. */
function expectedRevision(req: Request): number | undefined {
  const raw = (req.query.revision as string | undefined) ?? req.get('if-match')?.replace(/"/g, '');
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Invalid(`Revision must be a positive integer, got '${raw}'`, 'invalid_revision');
  return n;
}

export function pipelineRoutes(store: PipelineStore, jobs: JobManager, flink?: FlinkDeployments): Router {
  const r = Router();
  const find = (id: string): StoredPipeline => store.require(id);
  const record = (p: StoredPipeline): PipelineRecord => ({ ...summary(p, jobs.state(p.id)), document: p.document });

  r.get('/pipelines', (_req, res) => {
    res.json({ pipelines: store.list().map((p) => summary(p, jobs.state(p.id))) });
  });

  r.post('/pipelines', async (req, res) => {
    const p = await store.create(requireDocument(requireJsonBody(req), jobs.dataDir));
    res.status(201).location(`/api/pipelines/${p.id}`).json(record(p));
  });

  r.get('/pipelines/:id', (req, res) => {
    const p = find(req.params.id);
    res.set('ETag', `"${p.revision}"`).json(record(p));
  });

  r.put('/pipelines/:id', async (req, res) => {
    const p = find(req.params.id);
    const document = requireDocument(requireJsonBody(req), jobs.dataDir);
    const updated = await jobs.replace(p.id, document, expectedRevision(req));
    res.set('ETag', `"${updated.revision}"`).json(record(updated));
  });

  r.delete('/pipelines/:id', async (req, res) => {
    await flink?.cancel(req.params.id); // a job on Flink ends with the pipeline too
    await jobs.delete(req.params.id);
    res.status(204).end();
  });

  r.get('/pipelines/:id/revisions', async (req, res) => {
    const p = find(req.params.id);
    res.json({ revisions: await store.revisions.list(p.id, p) });
  });

  r.get('/pipelines/:id/revisions/:rev', async (req, res) => {
    const p = find(req.params.id);
    const rev = Number(req.params.rev);
    if (!Number.isInteger(rev) || rev < 1) throw new Invalid(`Revision must be a positive integer, got '${req.params.rev}'`, 'invalid_revision');
    res.json(await store.revisions.get(p.id, rev, p));
  });

  r.post('/validate', async (req, res) => {
    const result = validatePipeline(requireJsonBody(req));
    // What this server adds: files inside its allowed folders, every secret given (a deploy refuses
    // either), and ONNX models that load and fit their nodes (a deploy fails on them).
    const environment = result.document
      ? [...checkFilePaths(result.document, { baseDir: jobs.dataDir }), ...checkSecrets(result.document, { secretsFile: join(jobs.dataDir, 'secrets.json') }),
        ...await checkModels(result.document, { baseDir: jobs.dataDir })]
      : [];
    res.json({ ok: result.ok && environment.length === 0, errors: [...result.errors, ...environment] });
  });

  r.get('/pipelines/:id/export', (req, res) => {
    const p = find(req.params.id);
    const format = (req.query.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'flink-sql') throw new Invalid(`Unknown export format '${format}': use json or flink-sql`, 'invalid_format');
    const base = p.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || 'pipeline';
    if (format === 'json') {
      res.attachment(`${base}.json`).type('application/json').send(canonicalJson(p.document));
      return;
    }
    const flink = translateToFlinkSql(p.document);
    if (!flink.ok) {
      const list = flink.problems.map((x) => `${x.nodeId ? `node '${x.nodeId}': ` : ''}${x.message}`).join('; ');
      throw new NotTranslatable(`This pipeline cannot run on Flink SQL as it is: ${list}`, 'not_translatable',
        { problems: flink.problems, notes: flink.notes, sql: flink.sql });
    }
    res.attachment(`${base}.sql`).type('application/sql').send(flink.sql);
  });

  return r;
}
