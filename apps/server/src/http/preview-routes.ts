import { Router } from 'express';
import { Invalid } from '../domain-errors.js';
import { previewOptions, runPreview } from '../jobs/preview.js';
import { requireDocument, requireJsonBody } from './pipelines-routes.js';

/** `POST /api/preview` `{ document, seconds?, limit? }`: a short run with sinks captured (nothing written). */
export function previewRoutes(dataDir: string): Router {
  const r = Router();
  r.post('/preview', async (req, res) => {
    const body = requireJsonBody(req);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Invalid('Send { "document": { … }, "seconds": 3 }', 'invalid_preview');
    const { document, ...rest } = body as Record<string, unknown>;
    const options = previewOptions(rest);
    res.json(await runPreview(requireDocument(document, dataDir), dataDir, options));
  });
  return r;
}
