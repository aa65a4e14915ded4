import { createHash } from 'node:crypto';
import { open, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointInfo } from '@eddy/shared';

/** One node's part of a checkpoint, serialized (v8 structured clone) by the coordinator; `fingerprint`: what its state means. */
export interface NodeSnapshotFile { nodeId: string; kind: string; fingerprint?: string; data: Buffer }

interface Metadata extends CheckpointInfo {
  format: 'eddy/checkpoint@1';
  files: { nodeId: string; file: string; bytes: number; sha256: string }[];
}

/** A checkpoint read back from disk, every file verified against its recorded hash. */
export interface LoadedCheckpoint {
  info: CheckpointInfo;
  nodes: Map<string, { kind: string; data: Buffer }>;
}

const DIR = /^(chk|sp)-(\d{8})$/;

/**
 * Checkpoints on disk, one folder each: node files, then `_metadata.json` (with sizes and
 * SHA-256 of every file), all fsync'd in a `.tmp` folder that is renamed into place last.
 * A folder without valid metadata, or whose files do not match it, is never used.
 */
export class CheckpointStore {
  constructor(readonly dir: string, readonly retained = 3) {}

  /** Writes a checkpoint durably; `startedAt` (performance.now() at the barrier) gives its duration. */
  async write(head: Pick<CheckpointInfo, 'id' | 'kind' | 'timestamp'> & { startedAt: number }, parts: NodeSnapshotFile[]): Promise<CheckpointInfo> {
    const { startedAt, ...info } = head;
    await mkdir(this.dir, { recursive: true });
    const name = `${info.kind === 'savepoint' ? 'sp' : 'chk'}-${String(info.id).padStart(8, '0')}`;
    const tmp = join(this.dir, `${name}.tmp`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp);
    const files: Metadata['files'] = [];
    const nodes: CheckpointInfo['nodes'] = {};
    let sizeBytes = 0;
    for (const [i, p] of parts.entries()) {
      const file = `node-${i}.bin`;
      await writeDurably(join(tmp, file), p.data);
      files.push({ nodeId: p.nodeId, file, bytes: p.data.length, sha256: sha256(p.data) });
      nodes[p.nodeId] = { kind: p.kind, bytes: p.data.length, ...(p.fingerprint !== undefined && { fingerprint: p.fingerprint }) };
      sizeBytes += p.data.length;
    }
    const full: CheckpointInfo = { ...info, durationMs: Math.round((performance.now() - startedAt) * 100) / 100, sizeBytes, nodes };
    const meta: Metadata = { format: 'eddy/checkpoint@1', ...full, files };
    await writeDurably(join(tmp, '_metadata.json'), Buffer.from(JSON.stringify(meta, null, 1)));
    await rm(join(this.dir, name), { recursive: true, force: true });
    await rename(tmp, join(this.dir, name));
    await syncDir(this.dir);
    await this.prune();
    return full;
  }

  /** Completed checkpoints and savepoints, newest first. */
  async list(): Promise<CheckpointInfo[]> {
    const out: CheckpointInfo[] = [];
    for (const name of await this.names()) {
      const meta = await this.readMetadata(name);
      if (meta) out.push(strip(meta));
    }
    return out.sort((a, b) => b.id - a.id);
  }

  /** The newest intact checkpoint or savepoint with an id of at least `minId`; or, with `id`, that one if intact. */
  async load(query: { id?: number; minId?: number } = {}): Promise<LoadedCheckpoint | null> {
    const names = (await this.names()).sort((a, b) => Number(b.slice(-8)) - Number(a.slice(-8)));
    for (const name of names) {
      const n = Number(name.slice(-8));
      if ((query.id !== undefined && n !== query.id) || n < (query.minId ?? 0)) continue;
      const meta = await this.readMetadata(name);
      if (!meta) continue;
      const nodes = new Map<string, { kind: string; data: Buffer }>();
      let intact = true;
      for (const f of meta.files) {
        const data = await readFile(join(this.dir, name, f.file)).catch(() => null);
        if (!data || data.length !== f.bytes || sha256(data) !== f.sha256) { intact = false; break; }
        nodes.set(f.nodeId, { kind: meta.nodes[f.nodeId].kind, data });
      }
      if (intact) return { info: strip(meta), nodes };
    }
    return null;
  }

  /** The highest id used so far (new checkpoints count on from it). */
  async lastId(): Promise<number> {
    let max = 0;
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const m = /^(?:chk|sp)-(\d{8})/.exec(name);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return max;
  }

  async clear(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async names(): Promise<string[]> {
    const all = await readdir(this.dir).catch(() => [] as string[]);
    return all.filter((n) => DIR.test(n));
  }

  private async readMetadata(name: string): Promise<Metadata | null> {
    try {
      const meta = JSON.parse(await readFile(join(this.dir, name, '_metadata.json'), 'utf8')) as Metadata;
      return meta.format === 'eddy/checkpoint@1' && Array.isArray(meta.files) ? meta : null;
    } catch {
      return null;
    }
  }

  /** Keeps the newest `retained` checkpoints and every savepoint; removes abandoned .tmp folders. */
  private async prune(): Promise<void> {
    const all = await readdir(this.dir).catch(() => [] as string[]);
    const checkpoints = all.filter((n) => n.startsWith('chk-') && DIR.test(n)).sort().reverse();
    const stale = [...checkpoints.slice(this.retained), ...all.filter((n) => /^(chk|sp)-\d{8}\.tmp$/.test(n))];
    for (const n of stale) await rm(join(this.dir, n), { recursive: true, force: true });
  }
}

function strip(meta: Metadata): CheckpointInfo {
  const { id, kind, timestamp, durationMs, sizeBytes, nodes } = meta;
  return { id, kind, timestamp, durationMs, sizeBytes, nodes };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export async function writeDurably(path: string, data: Buffer | string): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await fh.close();
  }
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}
