import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { diffDocuments, summarizeDiff, type PipelineDocument } from '@eddy/shared';
import { NotFound } from '../domain-errors.js';
import { writeFileAtomic } from './pipeline-store.js';

export interface RevisionSummary { revision: number; savedAt: string; name: string; summary: string }
export interface Revision extends RevisionSummary { document: PipelineDocument }

/**
 * Every saved version of each pipeline, one file per revision in `<dataDir>/revisions/<id>/<rev>.json`,
 * with a one-line summary of what changed from the revision before.
 */
export class RevisionStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'revisions');
  }

  async record(id: string, revision: number, savedAt: string, document: PipelineDocument, previous: PipelineDocument | null): Promise<void> {
    const folder = join(this.dir, id);
    await mkdir(folder, { recursive: true });
    const summary = previous ? summarizeDiff(diffDocuments(previous, document)) : 'created';
    const entry: Revision = { revision, savedAt, name: document.name, summary, document };
    await writeFileAtomic(join(folder, `${revision}.json`), JSON.stringify(entry));
  }

  /** Newest first; a pipeline saved before revisions were kept lists its current version alone. */
  async list(id: string, current: { revision: number; updatedAt: string; document: PipelineDocument }): Promise<RevisionSummary[]> {
    const numbers = await this.numbers(id);
    const out: RevisionSummary[] = [];
    for (const n of numbers.sort((a, b) => b - a)) {
      const r = await this.read(id, n);
      if (r) out.push({ revision: r.revision, savedAt: r.savedAt, name: r.name, summary: r.summary });
    }
    if (!numbers.includes(current.revision)) {
      out.unshift({ revision: current.revision, savedAt: current.updatedAt, name: current.document.name, summary: 'current version' });
    }
    return out;
  }

  async get(id: string, revision: number, current: { revision: number; updatedAt: string; document: PipelineDocument }): Promise<Revision> {
    const r = await this.read(id, revision);
    if (r) return r;
    if (revision === current.revision) return { revision, savedAt: current.updatedAt, name: current.document.name, summary: 'current version', document: current.document };
    throw new NotFound(`Revision ${revision} of pipeline '${id}'`);
  }

  async delete(id: string): Promise<void> {
    await rm(join(this.dir, id), { recursive: true, force: true });
  }

  private async numbers(id: string): Promise<number[]> {
    try {
      return (await readdir(join(this.dir, id))).map((f) => /^(\d+)\.json$/.exec(f)?.[1]).filter((x): x is string => !!x).map(Number);
    } catch {
      return [];
    }
  }

  private async read(id: string, revision: number): Promise<Revision | null> {
    try {
      return JSON.parse(await readFile(join(this.dir, id, `${revision}.json`), 'utf8')) as Revision;
    } catch {
      return null;
    }
  }
}
