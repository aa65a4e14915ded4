import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineDocument, PipelineSummary } from '@eddy/shared';
import { NotFound, StaleRevision } from '../domain-errors.js';
import { RevisionStore } from './revisions.js';

export interface StoredPipeline {
  id: string;
  name: string;
  revision: number;
  createdAt: string;
  updatedAt: string;
  /** True while the user wants it running: a restarted server deploys it again. */
  deployed: boolean;
  /**
   * The current (or last) run: the checkpoint it started from and the first checkpoint id
   * it could write. A restart after a crash resumes from this run's newest checkpoint.
   */
  run?: { from: number | null; firstCheckpointId: number } | null;
  /** A savepoint the next deploy starts from (set by "stop with savepoint"). */
  resumeFrom?: number | null;
  /** The pipeline's job on Flink (deploy target flink): a restarted server watches it again. */
  flink?: StoredFlinkRun | null;
  document: PipelineDocument;
}

export interface StoredFlinkRun {
  jobId: string;
  /** The cluster's REST API the job is watched through, and the gateway it was submitted to. */
  restUrl: string;
  gatewayUrl: string;
  revision: number;
  deployedAt: string;
  /** The submitted script: it names which Flink vertex runs which node. */
  statements: string[];
  /** Each node's first upstream node, to place nodes Flink chained into another's vertex. */
  upstream: Record<string, string>;
  nodeIds: string[];
  savepoint?: string;
}

export type PipelineRunMeta = Partial<Pick<StoredPipeline, 'deployed' | 'run' | 'resumeFrom' | 'flink'>>;

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Atomic write: a temp file, fsync'd, renamed over the old one. A crash leaves old or new, never half. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** Pipelines as one JSON file each in `<dataDir>/pipelines`. */
export class PipelineStore {
  private readonly dir: string;
  private readonly cache = new Map<string, StoredPipeline>();
  /** Every saved version of the documents (the History panel). */
  readonly revisions: RevisionStore;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'pipelines');
    this.revisions = new RevisionStore(dataDir);
  }

  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const file of await readdir(this.dir)) {
      if (!file.endsWith('.json')) continue;
      try {
        const p = JSON.parse(await readFile(join(this.dir, file), 'utf8')) as StoredPipeline;
        if (ID_RE.test(p.id)) this.cache.set(p.id, p);
      } catch (err) {
        console.error(`[eddy] skipping unreadable pipeline file ${file}: ${(err as Error).message}`);
      }
    }
  }

  list(): StoredPipeline[] {
    return [...this.cache.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  get(id: string): StoredPipeline | undefined {
    return ID_RE.test(id) ? this.cache.get(id) : undefined;
  }

  /** The pipeline, or NotFound naming it. */
  require(id: string): StoredPipeline {
    const p = this.get(id);
    if (!p) throw new NotFound(`Pipeline '${id}'`);
    return p;
  }

  async create(document: PipelineDocument): Promise<StoredPipeline> {
    const now = new Date().toISOString();
    const p: StoredPipeline = { id: newId(), name: document.name, revision: 1, createdAt: now, updatedAt: now, deployed: false, document };
    await this.save(p);
    await this.revisions.record(p.id, p.revision, now, document, null);
    return p;
  }

  /** A new revision of the document; `expectedRevision` (the one the client last read) refuses a stale write. */
  async replace(id: string, document: PipelineDocument, expectedRevision?: number): Promise<StoredPipeline> {
    const old = this.require(id);
    if (expectedRevision !== undefined && expectedRevision !== old.revision) throw new StaleRevision(id, old.revision, expectedRevision);
    const p = { ...old, name: document.name, document, revision: old.revision + 1, updatedAt: new Date().toISOString() };
    await this.save(p);
    await this.revisions.record(id, p.revision, p.updatedAt, document, old.document);
    return p;
  }

  async setDeployed(id: string, deployed: boolean): Promise<void> {
    const p = this.cache.get(id);
    if (!p || p.deployed === deployed) return;
    await this.save({ ...p, deployed });
  }

  /** Run bookkeeping (not a new revision of the document). */
  async setRunMeta(id: string, meta: PipelineRunMeta): Promise<void> {
    const p = this.cache.get(id);
    if (p) await this.save({ ...p, ...meta });
  }

  async delete(id: string): Promise<void> {
    this.cache.delete(id);
    await rm(join(this.dir, `${id}.json`), { force: true });
    await this.revisions.delete(id);
  }

  private async save(p: StoredPipeline): Promise<void> {
    await writeFileAtomic(join(this.dir, `${p.id}.json`), JSON.stringify(p, null, 2));
    this.cache.set(p.id, p);
  }
}

function newId(): string {
  return randomBytes(6).toString('base64url');
}

export function summary(p: StoredPipeline, state: PipelineSummary['state']): PipelineSummary {
  return { id: p.id, name: p.name, revision: p.revision, createdAt: p.createdAt, updatedAt: p.updatedAt, state };
}
