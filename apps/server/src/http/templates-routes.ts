import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { getTemplate, TEMPLATES } from '@eddy/shared';
import { NotFound } from '../domain-errors.js';
import { summary, type PipelineStore } from '../store/pipeline-store.js';
import type { JobManager } from '../jobs/job-manager.js';

/** The templates gallery: list, and create a pipeline from one (writing its sample files into the data folder). */
export function templateRoutes(store: PipelineStore, jobs: JobManager, dataDir: string): Router {
  const r = Router();
  r.get('/templates', (_req, res) => {
    res.json({ templates: TEMPLATES.map((t) => ({ id: t.id, title: t.title, useCase: t.useCase, description: t.description, name: t.document().name })) });
  });
  r.post('/templates/:id', async (req, res) => {
    const t = getTemplate(req.params.id);
    if (!t) throw new NotFound(`Template '${req.params.id}'`);
    for (const [path, text] of Object.entries(t.files?.() ?? {})) {
      const full = join(dataDir, path);
      if (existsSync(full)) continue; // never overwrite a user's file
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    const p = await store.create(t.document());
    res.status(201).location(`/api/pipelines/${p.id}`).json({ ...summary(p, jobs.state(p.id)), document: p.document });
  });
  return r;
}
