import express, { Router, type RequestHandler } from 'express';
import { HttpError } from './errors.js';
import { Invalid } from '../domain-errors.js';
import { IngestGate, ingestLimitsFromEnv, type IngestLimits, type IngestTicket } from '../jobs/ingest-gate.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';

/** Batches of records may be larger than documents: a route of its own with a larger body limit. */
const BODY_LIMIT = 16 * 1024 * 1024;

/**
 * POST /api/ingest/:pipelineId/:nodeId — records for a source.http node (DESIGN §6). Requests
 * pass a bounded queue (records and bytes) before their body is parsed: when it is full the
 * answer is 503 with Retry-After at once, so a flood never keeps the server from answering.
 */
export function ingestRoutes(store: PipelineStore, jobs: JobManager, limits: IngestLimits = ingestLimitsFromEnv()): Router {
  const r = Router();
  const gate = new IngestGate(limits);

  const admit: RequestHandler = (req, res, next) => {
    store.require(req.params.pipelineId as string);
    if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Send the records as application/json');
    const length = Number(req.get('content-length'));
    try {
      // Without a Content-Length the body may be as large as the route allows.
      const ticket = gate.admitBytes(Number.isFinite(length) && length >= 0 ? length : BODY_LIMIT);
      res.locals.ticket = ticket;
      res.on('close', () => gate.release(ticket));
    } catch (err) {
      req.resume(); // read and drop the body, unparsed
      throw err;
    }
    next();
  };

  r.post('/:pipelineId/:nodeId', admit, express.json({ limit: BODY_LIMIT, strict: false }), async (req, res) => {
    const { pipelineId, nodeId } = req.params as { pipelineId: string; nodeId: string };
    const body: unknown = req.body;
    const records = Array.isArray(body) ? body : [body];
    const bad = records.findIndex((x) => x === null || typeof x !== 'object' || Array.isArray(x));
    if (bad >= 0) {
      throw new Invalid(`Send a JSON object or an array of objects; ${Array.isArray(body) ? `element ${bad}` : 'the body'} is not an object`,
        'invalid_records', { index: Array.isArray(body) ? bad : null });
    }
    gate.admitRecords(res.locals.ticket as IngestTicket, records.length);
    await jobs.ingest(pipelineId, nodeId, records as Record<string, unknown>[]);
    res.status(202).json({ accepted: records.length });
  });
  return r;
}
