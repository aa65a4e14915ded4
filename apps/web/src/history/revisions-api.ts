import type { PipelineDocument } from '@eddy/shared';
import { call } from '../api/client';

export interface RevisionSummary { revision: number; savedAt: string; name: string; summary: string }
export interface Revision extends RevisionSummary { document: PipelineDocument }

const base = (id: string) => `/api/pipelines/${encodeURIComponent(id)}/revisions`;

export const revisionsApi = {
  list: (id: string) => call<{ revisions: RevisionSummary[] }>('GET', base(id)).then((r) => r.revisions),
  get: (id: string, revision: number) => call<Revision>('GET', `${base(id)}/${revision}`),
};
