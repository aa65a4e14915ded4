import express, { Router } from 'express';
import { HttpError } from './errors.js';
import { Invalid } from '../domain-errors.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';

/** POST /api/ingest/:pipelineId/:nodeId — records for a source.http node (DESIGN §6). */
export function ingestRoutes(store: PipelineStore, jobs: JobManager): Router {
  const r = Router();
  // Batches of records may be larger than documents: a route of its own with a larger body limit.
  r.use(express.json({ limit: '16mb', strict: false }));

  r.post('/:pipelineId/:nodeId', async (req, res) => {
    const { pipelineId, nodeId } = req.params;
    store.require(pipelineId);
    if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Send the records as application/json');
    const body: unknown = req.body;
    const records = Array.isArray(body) ? body : [body];
    const bad = records.findIndex((x) => x === null || typeof x !== 'object' || Array.isArray(x));
    if (bad >= 0) {
      throw new Invalid(`Send a JSON object or an array of objects; ${Array.isArray(body) ? `element ${bad}` : 'the body'} is not an object`,
        'invalid_records', { index: Array.isArray(body) ? bad : null });
    }
    await jobs.ingest(pipelineId, nodeId, records as Record<string, unknown>[]);
    res.status(202).json({ accepted: records.length });
  });
  return r;
}
