import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Which output files a file sink created, so that it never replaces someone else's file. Next
 * to each file it creates, the sink leaves a marker (`.<name>.eddy`) holding the file's
 * device, inode and birth time: a file is the sink's own only while it is that very file (a
 * file deleted and created again by someone else may reuse the inode, not the birth time).
 * Neither writes nor a crash change them, so a restart after a crash still knows its file.
 */
interface OwnershipMarker {
  format: 'eddy/file-sink-output@1';
  dev: number;
  ino: number;
  /** 0 where the file system keeps no birth time (then the inode alone decides). */
  birthtimeMs: number;
  pipelineId: string;
  nodeId: string;
  createdAt: string;
}

export const ownershipMarkerOf = (path: string): string => join(dirname(path), `.${basename(path)}.eddy`);

export interface ClaimOptions {
  /** The path as the document gives it (for messages). */
  shown: string;
  /** The user allows replacing a file the sink did not create. */
  overwrite: boolean;
  /** The sink resumes from a checkpoint that wrote this path (a file from before markers is adopted). */
  restoring: boolean;
}

/**
 * Throws when `path` exists and is not this sink's own file (unless `overwrite`). Call it
 * before the sink truncates, appends to or creates the file; then `markOwned`.
 */
export async function claimOutputFile(path: string, opts: ClaimOptions): Promise<void> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => { if (err.code === 'ENOENT') return null; throw err; });
  if (!st || opts.overwrite) return;
  const marker = await readMarker(path);
  if (marker && marker.dev === st.dev && marker.ino === st.ino && marker.birthtimeMs === st.birthtimeMs) return;
  if (!marker && opts.restoring) return; // written by this sink before it left markers
  throw new Error(`'${opts.shown}' already exists and was not written by an Eddy file sink: Eddy does not replace a file it did not create. ` +
    'Choose another path, move the file away, or set overwrite: true on this sink to replace it');
}

/** Records that the sink created (or took over) the file now at `path`; returns its inode. */
export async function markOwned(path: string, who: { pipelineId: string; nodeId: string }): Promise<number> {
  const st = await stat(path);
  const marker: OwnershipMarker = {
    format: 'eddy/file-sink-output@1', dev: st.dev, ino: st.ino, birthtimeMs: st.birthtimeMs, ...who, createdAt: new Date().toISOString(),
  };
  await writeFile(ownershipMarkerOf(path), JSON.stringify(marker) + '\n');
  return st.ino;
}

async function readMarker(path: string): Promise<OwnershipMarker | null> {
  try {
    const m = JSON.parse(await readFile(ownershipMarkerOf(path), 'utf8')) as Partial<OwnershipMarker>;
    return m.format === 'eddy/file-sink-output@1' && typeof m.dev === 'number' && typeof m.ino === 'number' && typeof m.birthtimeMs === 'number' ? m as OwnershipMarker : null;
  } catch {
    return null;
  }
}
